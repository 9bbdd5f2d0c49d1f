package dev.crucible.data;

/**
 * One optimizer step of a training run, a row of the {@code metrics} table.
 *
 * @param runId the training run
 * @param stage {@code sft} or {@code dpo}
 * @param step optimizer step, from 1
 * @param loss mean loss of the step
 * @param learningRate the rate the step used
 * @param gradNorm global L2 norm of the gradients before clipping
 * @param tokens tokens the step ran the model on, padding excluded
 * @param tokensPerSecond {@code tokens} over the step's wall-clock time
 * @param elapsedMillis the step's wall-clock time
 * @param rewardAccuracy DPO: share of pairs whose implicit reward ranks chosen first; else {@code null}
 * @param rewardMargin DPO: mean implicit reward of chosen minus rejected; else {@code null}
 * @param chosenLogprob DPO: mean summed log-prob of the chosen responses; else {@code null}
 * @param rejectedLogprob DPO: the same for the rejected responses; else {@code null}
 * @param policy RL: the policy update's figures; else {@code null}
 */
public record TrainingStep(
    String runId,
    String stage,
    int step,
    double loss,
    double learningRate,
    double gradNorm,
    long tokens,
    double tokensPerSecond,
    long elapsedMillis,
    Double rewardAccuracy,
    Double rewardMargin,
    Double chosenLogprob,
    Double rejectedLogprob,
    PolicyFigures policy) {

  /**
   * What an RL step measured over its counted tokens (means).
   *
   * @param klK1 k1 estimate of KL(policy || reference); {@code null} when the run has no reference (kl_beta 0)
   * @param klK3 k3 estimate of the same, or {@code null} likewise
   * @param clipFraction share of tokens whose loss the clip decided
   * @param entropy the policy's entropy at the sampled positions
   * @param rolloutKl k3 estimate of KL between the sampler's log-probs and the trainer's for the same policy
   * @param valueLoss PPO: the value head's clipped loss (before its coefficient); else {@code null}
   */
  public record PolicyFigures(Double klK1, Double klK3, double clipFraction, double entropy, double rolloutKl, Double valueLoss) {}

  public TrainingStep {
    Checks.requireText(runId, "runId");
    Checks.requireText(stage, "stage");
    if (step < 1) {
      throw new IllegalArgumentException("step must be at least 1, not " + step);
    }
  }
}
