package dev.crucible.reward.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crucible.reward.grading.TestsReport;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MRT's progress reward and the plan's fixed milestones on values worked by hand. */
class ProgressRewardsTest {
  @Test
  void jIsTheFailToPassShareWhilePassToPassHolds() {
    assertThat(ProgressRewards.score(new TestsReport(List.of("a"), List.of("b", "c", "d"), List.of("p"), List.of()))).isEqualTo(0.25);
    assertThat(ProgressRewards.score(new TestsReport(List.of("a", "b"), List.of(), List.of("p"), List.of()))).isEqualTo(1.0);
    assertThat(ProgressRewards.score(new TestsReport(List.of("a", "b"), List.of(), List.of(), List.of("p")))).as("a broken test zeroes J")
        .isEqualTo(0.0);
  }

  @Test
  void eachBoundaryEarnsItsChangeInJAndAFailedGradingEarnsNothing() {
    // J: 0.5 after the first edit, 0.5 after a test run, 1.0 after the second edit, 0 after an edit that breaks a test.
    List<Double> steps = ProgressRewards.steps(List.of(0.5, 0.5, 1.0, 0.0));
    assertThat(steps).containsExactly(0.5, 0.0, 0.5, -1.0);
    // The second grading failed: no reward for it, and the third is measured against the first.
    List<Double> withGap = ProgressRewards.steps(Arrays.asList(0.25, null, 0.75));
    assertThat(withGap.get(0)).isEqualTo(0.25);
    assertThat(withGap.get(1)).isNull();
    assertThat(withGap.get(2)).isCloseTo(0.5, within(1e-12));
    assertThat(ProgressRewards.steps(List.of())).isEmpty();
  }

  @Test
  void eachMilestonePaysOnceToTheTurnThatReachedItFirst() {
    // Turns 2 and 4 read the code, 6 edits (J 0.5), 8 reads again, 10 edits (J 1), 12 runs the tests (J 1), 14 submits.
    List<Milestones.Boundary> boundaries = List.of(
        new Milestones.Boundary(6, true, 0.5), new Milestones.Boundary(10, true, 1.0), new Milestones.Boundary(12, true, 1.0));
    assertThat(Milestones.bonuses(List.of(2, 4, 8), boundaries, 14))
        .containsExactly(Map.entry(2, 0.1), Map.entry(6, 0.2), Map.entry(10, 0.3), Map.entry(14, 1.0));
    // Unresolved: no solve bonus; the same turn may earn two milestones.
    assertThat(Milestones.bonuses(List.of(), List.of(new Milestones.Boundary(3, true, 1.0)), null))
        .containsExactly(Map.entry(3, 0.2 + 0.3));
  }

  @Test
  void noMilestoneForLookingAfterTheChangeATestRunOnTheBaseTreeOrAnUngradedTree() {
    // Turn 2 runs the tests on the unchanged tree, 4 edits (not graded), 6 reads: reading after changing is no plan.
    List<Milestones.Boundary> boundaries = List.of(new Milestones.Boundary(2, false, 0.0), new Milestones.Boundary(4, true, null));
    assertThat(Milestones.bonuses(List.of(6), boundaries, null)).containsExactly(Map.entry(4, 0.2));
    assertThat(Milestones.bonuses(List.of(), List.of(), null)).isEmpty();
  }

  @Test
  void theProgressRewardReplacesItsTermInTheTotal() {
    TestsReport half = new TestsReport(List.of("a"), List.of("b"), List.of("p"), List.of());
    // Weights: correctness 1, coverage 0, tokens 0.001, lint 0, progress 0.5. Unresolved, 100 tokens: -0.1.
    RewardWeights weights = new RewardWeights(1, 0, 0.001, 0, 0.5, 2);
    var reward = CompositeReward.compute(half, null, 0, 100, 3, 0.0, weights);
    assertThat(reward.total()).isCloseTo(-0.1, within(1e-12));
    var withProgress = CompositeReward.withShaping(reward, 0.5, 0, weights);
    assertThat(withProgress.progressReward()).isEqualTo(0.5);
    assertThat(withProgress.total()).as("-0.1 + 0.5 * 0.5").isCloseTo(0.15, within(1e-12));
    assertThat(CompositeReward.withShaping(withProgress, 0.25, 0, weights).total()).as("-0.1 + 0.5 * 0.25").isCloseTo(0.025, within(1e-12));
    var withMilestones = CompositeReward.withShaping(withProgress, 0.25, 0.3, weights);
    assertThat(withMilestones.milestoneReward()).isEqualTo(0.3);
    assertThat(withMilestones.total()).as("-0.1 + 0.5 * 0.25 + 2 * 0.3").isCloseTo(0.625, within(1e-12));
  }
}
