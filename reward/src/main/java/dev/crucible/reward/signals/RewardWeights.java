package dev.crucible.reward.signals;

/**
 * Weights of the composite reward. Immutable; {@link #defaults()} are those of shared/DESIGN.md.
 *
 * @param correctness added when the task is resolved (default 1.0)
 * @param coverage times the changed-line coverage in [0, 1] (default 0.2)
 * @param tokens times the tokens generated, subtracted (default 0.0001)
 * @param lint times the lint issues introduced, subtracted (default 0.05)
 * @param progress times the progress reward (default 0; MRT turns it on)
 * @param milestones times the fixed shaping bonuses earned ({@link Milestones}; default 0)
 */
public record RewardWeights(double correctness, double coverage, double tokens, double lint, double progress, double milestones)
    implements java.io.Serializable {

  public RewardWeights {
    check(correctness, "correctness");
    check(coverage, "coverage");
    check(tokens, "tokens");
    check(lint, "lint");
    check(progress, "progress");
    check(milestones, "milestones");
  }

  public static RewardWeights defaults() {
    return new RewardWeights(1.0, 0.2, 0.0001, 0.05, 0.0, 0.0);
  }

  private static void check(double weight, String name) {
    if (!Double.isFinite(weight) || weight < 0) {
      throw new IllegalArgumentException("weight '" + name + "' must be a finite number >= 0, got " + weight);
    }
  }
}
