package dev.crucible.data;

/**
 * Every reward signal of one graded episode, each kept apart so researchers can re-weight offline.
 *
 * @param resolved all FAIL_TO_PASS and PASS_TO_PASS tests pass
 * @param failToPassFraction fraction of FAIL_TO_PASS tests that pass, in [0, 1]
 * @param passToPassFraction fraction of PASS_TO_PASS tests that pass, in [0, 1]
 * @param changedLineCoverage fraction of added or changed lines the tests executed, in [0, 1], or
 *     {@code null} when coverage was not measured
 * @param lintIssuesIntroduced lint issues after the patch minus before, at least 0
 * @param tokens tokens the policy generated in the episode
 * @param steps agent turns taken
 * @param progressReward progress term for MRT: the sum of the turns' progress; 0 when not used
 * @param milestoneReward the plan's fixed shaping bonuses earned, summed over the turns; 0 when not used
 * @param total the weighted sum the trainer uses
 */
public record RewardBreakdown(
    boolean resolved,
    double failToPassFraction,
    double passToPassFraction,
    Double changedLineCoverage,
    int lintIssuesIntroduced,
    long tokens,
    int steps,
    double progressReward,
    double milestoneReward,
    double total) {

  public RewardBreakdown {
    Checks.requireFraction(failToPassFraction, "failToPassFraction");
    Checks.requireFraction(passToPassFraction, "passToPassFraction");
    if (changedLineCoverage != null) {
      Checks.requireFraction(changedLineCoverage, "changedLineCoverage");
    }
    Checks.requireNonNegative(lintIssuesIntroduced, "lintIssuesIntroduced");
    Checks.requireNonNegative(tokens, "tokens");
    Checks.requireNonNegative(steps, "steps");
    if (!Double.isFinite(progressReward) || !Double.isFinite(milestoneReward) || !Double.isFinite(total)) {
      throw new IllegalArgumentException("rewards must be finite, got progressReward=" + progressReward + ", milestoneReward="
          + milestoneReward + ", total=" + total);
    }
  }
}
