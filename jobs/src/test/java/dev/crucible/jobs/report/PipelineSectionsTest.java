package dev.crucible.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineSectionsTest {
  private static Turn turn(int index, String role, String tool) {
    return new Turn(index, role, null, "", tool, tool == null ? null : "{}", role.equals("tool") ? "out" : null, List.of(), List.of(), 0, 0, 0);
  }

  private static Trajectory episode(String task, List<Turn> turns) {
    return new Trajectory(EpisodeId.of("r", 0, task, 0), "r", 0, task, 0, "djl:m", "single", "fast", ModeChooser.CONFIG, turns, "",
        Outcome.UNRESOLVED, null, null, null, 0, 1);
  }

  @Test
  void wellFormedIsTheShareOfAssistantTurnsWhoseToolCallParsed() {
    // Three assistant turns with a call, one whose text held none that parsed; tool and user turns do not count.
    List<Trajectory> episodes = List.of(
        episode("a", List.of(turn(0, "user", null), turn(1, "assistant", "view_file"), turn(2, "tool", "view_file"), turn(3, "assistant", null))),
        episode("b", List.of(turn(0, "assistant", "run_tests"), turn(1, "tool", "run_tests"), turn(2, "assistant", "submit"))));
    assertThat(PipelineSections.wellFormedShare(episodes)).isEqualTo(0.75);
    assertThat(PipelineSections.wellFormedShare(List.of(episode("c", List.of(turn(0, "user", null)))))).isNaN();
  }
}
