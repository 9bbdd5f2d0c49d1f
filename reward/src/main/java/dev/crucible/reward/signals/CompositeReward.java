package dev.crucible.reward.signals;

import dev.crucible.data.RewardBreakdown;
import dev.crucible.reward.grading.ResolutionStatus;
import dev.crucible.reward.grading.TestsReport;

/**
 * The weighted reward: {@code correctness × resolved + coverage × changed-line coverage (resolved
 * only) − tokens × tokens − lint × lint issues introduced + progress × progress + milestones × milestone bonuses}. Missing coverage
 * counts as 0 in the total and stays null in the breakdown, where every term keeps its own field.
 *
 * <p>Coverage earns reward only for a patch that resolves the task: otherwise any line that runs
 * would pay, and a policy that cannot fix a bug would learn to add lines that do nothing but run.
 */
public final class CompositeReward {
  private CompositeReward() {}

  public static RewardBreakdown compute(
      TestsReport tests,
      Double changedLineCoverage,
      int lintIssuesIntroduced,
      long tokens,
      int steps,
      double progressReward,
      RewardWeights weights) {
    boolean resolved = tests.resolution() == ResolutionStatus.FULL;
    double total =
        weights.correctness() * (resolved ? 1.0 : 0.0)
            + weights.coverage() * (resolved && changedLineCoverage != null ? changedLineCoverage : 0.0)
            - weights.tokens() * tokens
            - weights.lint() * lintIssuesIntroduced
            + weights.progress() * progressReward;
    return new RewardBreakdown(
        resolved, tests.failToPassFraction(), tests.passToPassFraction(), changedLineCoverage,
        lintIssuesIntroduced, tokens, steps, progressReward, 0.0, total);
  }

  /**
   * The reward of a patch known only by a published label to have resolved its task (imported
   * trajectories): every graded test succeeded, so both fractions are 1; nothing else was measured
   * (no coverage, lint or tokens). The same total {@link #compute} gives a resolving patch with nothing
   * else measured.
   */
  public static RewardBreakdown resolvedByLabel(int steps, RewardWeights weights) {
    return new RewardBreakdown(true, 1.0, 1.0, null, 0, 0, steps, 0.0, 0.0, weights.correctness());
  }

  /**
   * {@code reward} with {@code progressReward} and {@code milestoneReward} in place of its shaping terms, the
   * total changed by the differences.
   */
  public static RewardBreakdown withShaping(RewardBreakdown reward, double progressReward, double milestoneReward, RewardWeights weights) {
    double total = reward.total() + weights.progress() * (progressReward - reward.progressReward())
        + weights.milestones() * (milestoneReward - reward.milestoneReward());
    return new RewardBreakdown(reward.resolved(), reward.failToPassFraction(), reward.passToPassFraction(), reward.changedLineCoverage(),
        reward.lintIssuesIntroduced(), reward.tokens(), reward.steps(), progressReward, milestoneReward, total);
  }
}
