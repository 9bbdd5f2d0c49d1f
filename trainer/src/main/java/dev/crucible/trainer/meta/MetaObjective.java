package dev.crucible.trainer.meta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The meta-controller's loss, as small pure functions: REINFORCE with a learned baseline (Williams, 1992;
 * Sutton and Barto, "Reinforcement Learning: An Introduction", 2nd ed., section 13.4), on the return MRT's
 * meta-controller trades off: the episode's reward minus {@code lambda} times the tokens it took.
 */
public final class MetaObjective {
  private MetaObjective() {}

  /** An episode's return to the meta-controller: {@code reward - lambda * tokens}. */
  public static double costAdjustedReturn(double reward, long tokens, double lambda) {
    return reward - lambda * tokens;
  }

  /**
   * The policy-gradient loss {@code -mean_i(A_i * log softmax(logits_i)[choice_i])}, whose gradient is the
   * REINFORCE estimate; {@code advantages} must carry no gradient (the return less a detached baseline).
   *
   * @param logits {@code [n, modes]}
   * @param choices {@code [n]}, the mode each decision took
   * @param advantages {@code [n]}
   */
  public static NDArray policyLoss(NDArray logits, NDArray choices, NDArray advantages) {
    NDArray logProbabilities = logits.logSoftmax(1);
    NDArray chosen = logProbabilities.mul(choices.toType(DataType.INT64, false).oneHot((int) logits.getShape().get(1))).sum(new int[] {1});
    return chosen.mul(advantages).mean().neg();
  }

  /** The baseline's squared error {@code mean_i((b_i - R_i)^2)}, which fits it to the expected return. */
  public static NDArray baselineLoss(NDArray baselines, NDArray returns) {
    return baselines.sub(returns).square().mean();
  }

  /** The mean entropy of the distributions {@code softmax(logits)}, {@code [n, modes]}, in nats. */
  public static NDArray entropy(NDArray logits) {
    NDArray logProbabilities = logits.logSoftmax(1);
    return logProbabilities.exp().mul(logProbabilities).sum(new int[] {1}).mean().neg();
  }
}
