package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import dev.crucible.data.TrainingStep;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.Gradients;
import dev.crucible.trainer.optim.LearningRateSchedule;
import java.util.Map;

/**
 * One optimizer step, as every trainer takes it: accumulate the step's gradients, clip them by global
 * norm, apply AdamW at the scheduled rate, zero them, and record the step in the metrics. What happens
 * between steps (checkpoints, iterations) is the caller's.
 */
public final class OptimizerStep {

  /**
   * @param runId names the run in the metrics rows
   * @param totalSteps the last step, for the progress line
   */
  public record Settings(String runId, String stage, int totalSteps, double maxGradNorm) {}

  private final Settings settings;
  private final Objective objective;
  private final Map<String, NDArray> trainable;
  private final AdamW optimizer;
  private final LearningRateSchedule schedule;
  private final MetricsSink metrics;

  /** @param objective computes each step's gradients into {@code trainable}, which this marks as needing them */
  public OptimizerStep(Settings settings, Objective objective, Map<String, NDArray> trainable, AdamW optimizer, LearningRateSchedule schedule,
      MetricsSink metrics) {
    this.settings = settings;
    this.objective = objective;
    this.trainable = trainable;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.metrics = metrics;
    trainable.values().forEach(parameter -> parameter.setRequiresGradient(true));
  }

  /** Step {@code step}, recorded in the metrics (not yet flushed). */
  public TrainingStep take(int step) {
    long started = System.nanoTime();
    Objective.StepResult result = objective.accumulate(step);
    double norm;
    double rate = schedule.at(step);
    try (Gradients gradients = Gradients.of(trainable)) {
      norm = gradients.globalNorm();
      if (!Double.isFinite(norm) || !Double.isFinite(result.loss())) {
        throw new IllegalStateException(settings.stage() + " step " + step + ": the loss (" + result.loss()
            + ") or gradient norm (" + norm + ") is not finite; lower the learning rate or check the data");
      }
      optimizer.update(trainable, gradients.byName(), rate, Gradients.clipScale(norm, settings.maxGradNorm()));
      gradients.zero();
    }
    long elapsed = Math.max(1, (System.nanoTime() - started) / 1_000_000);
    TrainingStep row = new TrainingStep(settings.runId(), settings.stage(), step, result.loss(), rate, norm, result.tokens(),
        result.tokens() * 1000.0 / elapsed, elapsed, result.rewardAccuracy(), result.rewardMargin(), result.chosenLogprob(),
        result.rejectedLogprob(), result.policy());
    metrics.record(row);
    return row;
  }

  /** The progress line of a step. */
  public String describe(TrainingStep row) {
    String text = String.format("%s step %d/%d loss %.4f lr %.2e grad-norm %.3f tokens/s %.0f", row.stage(), row.step(),
        settings.totalSteps(), row.loss(), row.learningRate(), row.gradNorm(), row.tokensPerSecond());
    if (row.rewardAccuracy() != null) {
      text += String.format(" reward-accuracy %.2f margin %.3f", row.rewardAccuracy(), row.rewardMargin());
    }
    if (row.policy() != null) {
      if (row.policy().klK3() != null) {
        text += String.format(" kl-k3 %.4f", row.policy().klK3());
      }
      text += String.format(" clip %.3f entropy %.3f rollout-kl %.2e", row.policy().clipFraction(), row.policy().entropy(),
          row.policy().rolloutKl());
      if (row.policy().valueLoss() != null) {
        text += String.format(" value-loss %.4f", row.policy().valueLoss());
      }
    }
    return text;
  }
}
