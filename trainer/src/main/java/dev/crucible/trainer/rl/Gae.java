package dev.crucible.trainer.rl;

/**
 * Generalized advantage estimation (Schulman et al. 2016, eq. 16) over one episode's sampled tokens in
 * order, each token a step: {@code delta_t = r_t + gamma V_{t+1} - V_t}, {@code A_t = delta_t + gamma
 * lambda A_{t+1}}, with {@code V} after the last token 0 (the episode ends), and returns {@code A_t + V_t}
 * as the value head's targets. Tokens the environment wrote are not steps: a multi-turn episode is the
 * chain of its sampled tokens.
 */
public final class Gae {
  private Gae() {}

  /** Advantages and returns, one per sampled token. */
  public record Estimate(double[] advantages, double[] returns) {}

  /**
   * @param rewards per sampled token (the episode's reward on its last token, minus any per-token KL penalty)
   * @param values the value head's estimate at each sampled token, under the policy that sampled
   */
  public static Estimate estimate(double[] rewards, double[] values, double gamma, double lambda) {
    if (rewards.length != values.length) {
      throw new IllegalArgumentException(rewards.length + " rewards for " + values.length + " values");
    }
    if (!(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
      throw new IllegalArgumentException("gamma and lambda must be in [0, 1], not " + gamma + " and " + lambda);
    }
    int n = rewards.length;
    double[] advantages = new double[n];
    double[] returns = new double[n];
    double next = 0;
    double nextValue = 0;
    for (int t = n - 1; t >= 0; t--) {
      double delta = rewards[t] + gamma * nextValue - values[t];
      next = delta + gamma * lambda * next;
      advantages[t] = next;
      returns[t] = next + values[t];
      nextValue = values[t];
    }
    return new Estimate(advantages, returns);
  }
}
