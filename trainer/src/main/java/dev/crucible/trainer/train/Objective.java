package dev.crucible.trainer.train;

import dev.crucible.data.TrainingStep;

/** What one optimizer step computes: it runs the backward passes whose gradients the step applies. */
public interface Objective {

  /**
   * Accumulates the gradients of optimizer step {@code step} (from 1) on the trainable parameters.
   *
   * @return the step's loss and the figures logged with it
   */
  StepResult accumulate(int step);

  /**
   * @param loss the step's mean loss
   * @param tokens tokens the model ran on, padding excluded
   * @param rewardAccuracy DPO figures, or {@code null}
   * @param policy RL figures, or {@code null}
   */
  record StepResult(double loss, long tokens, Double rewardAccuracy, Double rewardMargin, Double chosenLogprob, Double rejectedLogprob,
      TrainingStep.PolicyFigures policy) {
    public static StepResult of(double loss, long tokens) {
      return new StepResult(loss, tokens, null, null, null, null, null);
    }
  }
}
