package dev.crucible.trainer.rl;

/**
 * Advantages of the K samples of one task, from their scalar rewards; every sampled token of a sample
 * gets its sample's advantage. Pure functions of the rewards.
 */
public final class GroupAdvantages {
  /** Added to the standard deviation so a group of near-equal rewards does not blow up. */
  public static final double STD_EPSILON = 1e-6;

  private GroupAdvantages() {}

  /**
   * GRPO (Shao et al. 2024, DeepSeekMath, outcome supervision): {@code (r_i - mean(r)) / (std(r) + eps)},
   * with the sample standard deviation (divisor {@code K - 1}). Without {@code divideByStd} it is Dr.GRPO
   * (Liu et al. 2025, "Understanding R1-Zero-Like Training"): {@code r_i - mean(r)}, which does not weigh
   * near-unanimous groups up.
   */
  public static double[] grpo(double[] rewards, boolean divideByStd) {
    requireGroup(rewards);
    double mean = mean(rewards);
    double scale = divideByStd ? sampleStd(rewards, mean) + STD_EPSILON : 1;
    double[] advantages = new double[rewards.length];
    for (int i = 0; i < rewards.length; i++) {
      advantages[i] = (rewards[i] - mean) / scale;
    }
    return advantages;
  }

  /**
   * RLOO (Kool et al. 2019; Ahmadian et al. 2024, "Back to Basics"): each sample's baseline is the mean
   * reward of the other {@code K - 1}: {@code r_i - (sum(r) - r_i) / (K - 1)}.
   */
  public static double[] rloo(double[] rewards) {
    requireGroup(rewards);
    double sum = 0;
    for (double reward : rewards) {
      sum += reward;
    }
    double[] advantages = new double[rewards.length];
    for (int i = 0; i < rewards.length; i++) {
      advantages[i] = rewards[i] - (sum - rewards[i]) / (rewards.length - 1);
    }
    return advantages;
  }

  /** Whether every reward of the group is the same: such a group gives no gradient under either estimator. */
  public static boolean unanimous(double[] rewards) {
    for (double reward : rewards) {
      if (reward != rewards[0]) {
        return false;
      }
    }
    return true;
  }

  private static void requireGroup(double[] rewards) {
    if (rewards.length < 2) {
      throw new IllegalArgumentException("a group needs at least 2 samples to compare, not " + rewards.length);
    }
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }

  private static double sampleStd(double[] values, double mean) {
    double squares = 0;
    for (double value : values) {
      squares += (value - mean) * (value - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }
}
