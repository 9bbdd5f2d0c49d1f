package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.crucible.trainer.model.Scalars;

/** The training objectives, as functions of arrays, so each can be checked against values worked by hand. */
public final class Losses {
  private Losses() {}

  /**
   * Supervised fine-tuning: the negative log-likelihood of the masked targets, summed and divided by
   * {@code tokens} (the count over the whole optimizer step, so accumulated micro-batches weigh by tokens).
   *
   * @param maskedLogprobs log p(target) of the counted targets (any others zero)
   */
  public static NDArray sft(NDArray maskedLogprobs, long tokens) {
    return maskedLogprobs.sum().neg().div(maskedLogprobs.getManager().create((float) tokens));
  }

  /**
   * Direct preference optimization (Rafailov et al.): {@code -log sigmoid(beta * ((pc - rc) - (pr - rr)))}
   * per pair, from summed response log-probs under the policy ({@code p}) and the frozen reference
   * ({@code r}), for chosen ({@code c}) and rejected ({@code r}) responses; all arrays {@code [pairs]}.
   * Returns the per-pair losses; {@code log sigmoid(x)} is computed as {@code -softplus(-x)} to stay finite.
   */
  public static NDArray dpo(NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen, NDArray referenceRejected, float beta) {
    NDArray margin = implicitReward(policyChosen, referenceChosen, beta).sub(implicitReward(policyRejected, referenceRejected, beta));
    return Activation.softPlus(margin.neg());
  }

  /** DPO's implicit reward of a response: {@code beta * (policy - reference)} log-prob. */
  public static NDArray implicitReward(NDArray policy, NDArray reference, float beta) {
    return Scalars.times(policy.sub(reference), beta);
  }
}
