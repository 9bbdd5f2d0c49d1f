package dev.crucible.trainer.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import dev.crucible.trainer.model.Scalars;

/**
 * The per-token terms of the RL objective, as functions of arrays of the same shape (one entry per token
 * position); the caller masks and aggregates them ({@link Aggregation}). Log-probabilities are natural logs.
 */
public final class PolicyLosses {
  private PolicyLosses() {}

  /**
   * The clip range of the importance ratio.
   *
   * @param low the ratio is kept at least {@code 1 - low}
   * @param high the ratio is kept at most {@code 1 + high}; above {@code low} it is DAPO's clip-higher (Yu et al. 2025)
   * @param dual the dual clip's {@code c > 1} (Ye et al. 2020), which bounds the loss of a negative-advantage
   *     token at {@code -c * A} however large its ratio; 0 for none
   */
  public record Clip(double low, double high, double dual) {
    public Clip {
      if (!(low >= 0 && low < 1) || !(high >= 0)) {
        throw new IllegalArgumentException("clip range must have 0 <= low < 1 and high >= 0, not " + low + " and " + high);
      }
      if (dual != 0 && !(dual > 1)) {
        throw new IllegalArgumentException("the dual clip must be above 1 (or 0 for none), not " + dual);
      }
    }
  }

  /**
   * @param loss per token
   * @param clipped 1 where the clip decided the loss (its gradient is zero there), else 0
   */
  public record Surrogate(NDArray loss, NDArray clipped) {}

  /**
   * PPO's clipped surrogate (Schulman et al. 2017, eq. 7) as a loss: with {@code rho = exp(logp - old)},
   * {@code max(-A rho, -A clip(rho, 1 - low, 1 + high))}; with a dual clip, tokens with {@code A < 0} take
   * {@code min(that, -c A)}.
   */
  public static Surrogate clippedSurrogate(NDArray logprobs, NDArray oldLogprobs, NDArray advantages, Clip clip) {
    NDArray ratio = logprobs.sub(oldLogprobs).exp();
    NDArray unclipped = advantages.neg().mul(ratio);
    NDArray clippedTerm = advantages.neg().mul(ratio.clip(1 - clip.low(), 1 + clip.high()));
    NDArray loss = unclipped.maximum(clippedTerm);
    NDArray clipped = clippedTerm.gt(unclipped);
    if (clip.dual() > 0) {
      NDArray bound = Scalars.times(advantages.neg(), clip.dual());
      NDArray negative = advantages.lt(0);
      NDArray dualClipped = negative.logicalAnd(bound.lt(loss));
      loss = NDArrays.where(negative, loss.minimum(bound), loss);
      clipped = clipped.logicalOr(dualClipped);
    }
    return new Surrogate(loss, clipped.toType(DataType.FLOAT32, false));
  }

  /** k1 (Schulman 2020, "Approximating KL divergence"): {@code logp - logp_ref}, unbiased, can be negative. */
  public static NDArray k1(NDArray logprobs, NDArray referenceLogprobs) {
    return logprobs.sub(referenceLogprobs);
  }

  /**
   * k3 (Schulman 2020): with {@code r = logp_ref - logp}, {@code exp(r) - r - 1}: unbiased for KL(pi || ref)
   * under samples of pi, never negative, low variance.
   */
  public static NDArray k3(NDArray logprobs, NDArray referenceLogprobs) {
    NDArray r = referenceLogprobs.sub(logprobs);
    return r.exp().sub(r).sub(1);
  }

  /** The entropy of each position's next-token distribution, {@code -sum p log p}, from logits {@code [..., vocab]}. */
  public static NDArray entropy(NDArray logits) {
    NDArray logp = logits.logSoftmax(-1);
    return logp.exp().mul(logp).sum(new int[] {-1}).neg();
  }

  /**
   * Truncated importance sampling (Yao et al. 2025, "Your Efficient RL Framework Secretly Brings You
   * Off-Policy RL Training"): the weight {@code min(exp(old - rollout), cap)} that corrects for the gap
   * between the log-probs the trainer computes for the sampling policy and those the sampler reported.
   * A constant: no gradient flows through it.
   */
  public static NDArray truncatedImportanceWeights(NDArray oldLogprobs, NDArray rolloutLogprobs, double cap) {
    if (!(cap >= 1)) {
      throw new IllegalArgumentException("the importance-weight cap must be at least 1, not " + cap);
    }
    NDArray weights = oldLogprobs.sub(rolloutLogprobs).exp();
    return weights.minimum(Scalars.like(weights, cap)).stopGradient();
  }

  /**
   * PPO's clipped value loss (as in OpenAI's baselines ppo2): {@code 0.5 max((V - R)^2, (V_old + clip(V - V_old,
   * -c, c) - R)^2)}; with {@code clip} 0, the plain {@code 0.5 (V - R)^2}.
   */
  public static NDArray valueLoss(NDArray values, NDArray oldValues, NDArray returns, double clip) {
    NDArray plain = values.sub(returns).square();
    if (clip <= 0) {
      return Scalars.times(plain, 0.5);
    }
    NDArray clippedValues = oldValues.add(values.sub(oldValues).clip(-clip, clip));
    return Scalars.times(plain.maximum(clippedValues.sub(returns).square()), 0.5);
  }
}
