package dev.crucible.jobs.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.rollout.evaluation.SampleTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalizationTest {
  @TempDir Path temp;

  private static Turn call(int index, String tool, String arguments) {
    return new Turn(index, "assistant", null, "", tool, arguments, null, List.of(), List.of(), 0, 0, 0);
  }

  private static Turn result(int index, String tool, String observation) {
    return new Turn(index, "tool", null, "", tool, null, observation, List.of(), List.of(), 0, 0, 0);
  }

  private static Trajectory episode(String task, int sample, List<Turn> turns, Outcome outcome) {
    return new Trajectory(EpisodeId.of("r", 0, task, sample), "r", 0, task, sample, "scripted", "single", "standard", ModeChooser.CONFIG,
        turns, "", outcome, null, null, null, 0, 1);
  }

  @Test
  void searchesCountWhenAResultNamesAGoldFile() {
    TaskInstance task = SampleTask.create(temp.resolve("textops")).task("t", "fixture/textops");
    Localization localization = new Localization(Map.of("t", task));
    String found = "2 functions for 'count':\ntextops/words.py:1-2  count_words  def count_words(text):\ntests/test_words.py:3-4  test  def test():\n";
    String missed = "1 function for 'shout':\ntests/test_words.py:3-4  test  def test():\n";
    localization.add(episode("t", 0, List.of(call(0, "search_code", "{\"query\": \"count\"}"), result(1, "search_code", found)), Outcome.UNRESOLVED));
    localization.add(episode("t", 1, List.of(call(0, "search_code", "{\"query\": \"shout\"}"), result(1, "search_code", missed),
        call(2, "view_file", "{\"path\": \"textops/words.py\"}"), result(3, "view_file", "...")), Outcome.UNRESOLVED));
    localization.add(episode("t", 2, List.of(call(0, "view_directory", "{}"), result(1, "view_directory", "textops/words.py")), Outcome.UNRESOLVED));
    localization.add(episode("t", 3, List.of(call(0, "search_code", "{}"), result(1, "search_code", "No functions match 'x'.")),
        Outcome.INFRA_ERROR));

    Localization.Funnel funnel = localization.funnel();
    assertThat(funnel.episodes()).isEqualTo(3);
    assertThat(funnel.viewedFile()).isEqualTo(1);
    assertThat(funnel.searched()).as("the infra error is not graded").isEqualTo(2);
    assertThat(funnel.searchFoundFile()).isEqualTo(1);
    assertThat(localization.format()).containsPattern("search found a gold file +1 +50\\.0% of 2 that called search_code");
  }
}
