package dev.crucible.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsTest {

  @Test
  void episodeIdsAreDeterministic() {
    assertThat(EpisodeId.of("run-7", 3, "astropy__astropy-12907", 2))
        .isEqualTo("run-7/3/astropy__astropy-12907/2")
        .isEqualTo(EpisodeId.of("run-7", 3, "astropy__astropy-12907", 2));
  }

  @Test
  void trajectoryRejectsEpisodeIdThatDoesNotMatchItsFields() {
    assertThatThrownBy(
            () ->
                new Trajectory(
                    "run-7/0/task/1", "run-7", 0, "task", 2, "v1", "single", "fast", ModeChooser.CONFIG, List.of(), "",
                    Outcome.UNRESOLVED, null, null, null, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "episodeId 'run-7/0/task/1' does not match run, iteration, task and sample: expected 'run-7/0/task/2'");
  }

  @Test
  void resolvedTrajectoryNeedsAResolvedReward() {
    assertThatThrownBy(
            () ->
                new Trajectory(
                    "r/0/t/0", "r", 0, "t", 0, "v1", "single", "fast", ModeChooser.CONFIG, List.of(), "",
                    Outcome.RESOLVED, null, null, null, 0, 0))
        .hasMessage("episode r/0/t/0 is resolved but its reward says not");
  }

  @Test
  void rewardFractionsMustBeFractions() {
    assertThatThrownBy(() -> new RewardBreakdown(false, 1.5, 1.0, null, 0, 0, 0, 0, 0, 0))
        .hasMessage("failToPassFraction must be in [0, 1], got 1.5");
  }

  @Test
  void turnNeedsOneLogprobPerToken() {
    assertThatThrownBy(
            () ->
                new Turn(3, "assistant", null, "x", null, null, null, List.of(1, 2), List.of(-0.5f),
                    0, 0, 0))
        .hasMessage("turn 3: 1 logprobs for 2 tokens");
  }

  @Test
  void preferencePairNeedsChosenToEarnMore() {
    assertThatThrownBy(
            () -> new PreferencePair("a|b", "r", 0, "t", "a", "b", 0.5, 0.5, null, null))
        .hasMessage("chosen reward 0.5 must exceed rejected reward 0.5");
  }

  @Test
  void outcomesRoundTripThroughTheirTableNames() {
    for (Outcome outcome : Outcome.values()) {
      assertThat(Outcome.fromTableName(outcome.tableName())).isEqualTo(outcome);
    }
    assertThat(Outcome.INFRA_ERROR.tableName()).isEqualTo("infra_error");
  }

  @Test
  void invalidInputMessageListsEveryProblemUpToTheCap() {
    List<InputProblem> problems =
        java.util.stream.IntStream.rangeClosed(1, 25)
            .mapToObj(line -> new InputProblem("tasks.jsonl", line, "repo", "missing required field"))
            .toList();
    InvalidInputException error = new InvalidInputException(problems);
    assertThat(error.problems()).hasSize(25);
    assertThat(error.getMessage())
        .startsWith("tasks.jsonl:1: field 'repo': missing required field\n")
        .endsWith("tasks.jsonl:20: field 'repo': missing required field\n... and 5 more problems");
  }
}
