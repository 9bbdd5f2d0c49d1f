package dev.crucible.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crucible.data.ContainerMetrics;
import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Worked by hand. Episode a starts at 10 s and takes 8 s: sandbox start 1 s, two assistant turns
 * generating 2 s and 1 s, a tool turn of 0.5 s, so 3.5 s of grading and the rest; 300 tokens, 4 CPU s,
 * resolved. Episode b starts at 12 s and takes 14 s: sandbox start 2 s, generation 6 s, tools 2 s, the
 * rest 4 s; 500 tokens, no CPU figure, unresolved. Wall time: 10 s to 26 s, 16 s.
 */
class EpisodeFiguresTest {
  private static Turn turn(int index, String role, long generation, long tools) {
    return new Turn(index, role, null, "", null, null, null, List.of(), List.of(), 0, generation, tools);
  }

  private static Trajectory episode(String task, Outcome outcome, long tokens, long started, long duration, ContainerMetrics container,
      List<Turn> turns) {
    RewardBreakdown reward = new RewardBreakdown(outcome == Outcome.RESOLVED, 1, 1, null, 0, tokens, 3, 0, 0, 1);
    return new Trajectory(EpisodeId.of("r", 0, task, 0), "r", 0, task, 0, "scripted", "single", "fast", ModeChooser.CONFIG, turns, "",
        outcome, null, reward, container, started, duration);
  }

  private static final List<Trajectory> EPISODES = List.of(
      episode("a", Outcome.RESOLVED, 300, 10_000, 8_000, new ContainerMetrics(1_000, 4_000L, null),
          List.of(turn(0, "assistant", 2_000, 0), turn(1, "tool", 0, 500), turn(2, "assistant", 1_000, 0))),
      episode("b", Outcome.UNRESOLVED, 500, 12_000, 14_000, new ContainerMetrics(2_000, null, null),
          List.of(turn(0, "assistant", 6_000, 0), turn(1, "tool", 0, 2_000))));

  @Test
  void wallTimeSpansTheEpisodesAndTheSharesSplitTheirSummedTime() {
    EpisodeFigures figures = EpisodeFigures.of(EPISODES);
    assertThat(figures).isEqualTo(new EpisodeFigures(2, 1, 16.0, 800, 9.0, 2.5, 3.0, 7.5, 4.0));
    assertThat(figures.episodesPerHour()).isCloseTo(2 * 3600 / 16.0, within(1e-9));
    assertThat(figures.tokensPerSecond()).isCloseTo(800 / 9.0, within(1e-9));
    assertThat(figures.share(figures.generationSeconds())).isCloseTo(9.0 / 22.0, within(1e-9));
    assertThat(figures.share(figures.otherSeconds())).isCloseTo(7.5 / 22.0, within(1e-9));
    assertThat(figures.costPerResolved(0.9)).as("0.9 an hour for 16 s, one resolved").isCloseTo(0.004, within(1e-12));
  }

  @Test
  void withoutEpisodesPriceOrResolvedEpisodesTheRatesAreNotNumbers() {
    EpisodeFigures none = EpisodeFigures.of(List.of());
    assertThat(none.episodesPerHour()).isNaN();
    assertThat(none.tokensPerSecond()).isNaN();
    assertThat(none.share(0)).isNaN();
    assertThat(EpisodeFigures.of(EPISODES).costPerResolved(0)).isNaN();
    assertThat(EpisodeFigures.of(EPISODES.subList(1, 2)).costPerResolved(1)).isNaN();
  }
}
