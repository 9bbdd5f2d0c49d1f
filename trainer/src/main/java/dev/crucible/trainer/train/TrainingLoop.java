package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.TrainingStep;
import dev.crucible.trainer.io.SafeTensors;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.Gradients;
import dev.crucible.trainer.optim.LearningRateSchedule;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The optimizer loop SFT and DPO share: accumulate a step's gradients, clip them by global norm, apply
 * AdamW at the scheduled rate, zero them; record the step; checkpoint every N steps with the optimizer
 * state. A resumed loop restores the moments and the step and carries on where the checkpoint left off.
 */
public final class TrainingLoop {
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";

  /**
   * @param runId names the run in the metrics rows
   * @param checkpointEvery a checkpoint after every this many steps, and always after the last
   * @param fingerprint settings and data that must not change across a resume
   */
  public record Settings(String runId, String stage, int totalSteps, int checkpointEvery, double maxGradNorm, int logEvery, String fingerprint) {}

  private final Settings settings;
  private final Map<String, NDArray> trainable;
  private final AdamW optimizer;
  private final LearningRateSchedule schedule;
  private final Checkpoints checkpoints;
  private final BiConsumer<Path, Integer> writeWeights;
  private final MetricsSink metrics;
  private final Consumer<String> progress;
  private final Objective objective;

  /**
   * @param objective computes each step's gradients
   * @param writeWeights writes what a checkpoint needs beside the optimizer (the model or the adapters) into a directory
   */
  public TrainingLoop(Settings settings, Objective objective, Map<String, NDArray> trainable, AdamW optimizer,
      LearningRateSchedule schedule, Checkpoints checkpoints, BiConsumer<Path, Integer> writeWeights, MetricsSink metrics,
      Consumer<String> progress) {
    this.settings = settings;
    this.objective = objective;
    this.trainable = trainable;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.checkpoints = checkpoints;
    this.writeWeights = writeWeights;
    this.metrics = metrics;
    this.progress = progress;
    trainable.values().forEach(parameter -> parameter.setRequiresGradient(true));
  }

  /**
   * Restores the optimizer from checkpoint {@code saved} (whose weights the caller loaded) and returns its
   * step, refusing one made with other settings or data.
   */
  public int resumeFrom(Checkpoints.Saved saved) {
    String stored = saved.state().path("fingerprint").asText();
    if (!stored.equals(settings.fingerprint())) {
      throw new IllegalStateException("checkpoint " + saved.dir() + " was made with other settings or data; "
          + "start a new output directory or restore them.\n  checkpoint: " + stored + "\n  now:        " + settings.fingerprint());
    }
    try (ai.djl.ndarray.NDManager scratch = trainable.values().iterator().next().getManager().newSubManager()) {
      optimizer.restore(SafeTensors.read(saved.dir().resolve(OPTIMIZER_FILE), scratch), saved.step());
    }
    return saved.step();
  }

  /** Runs steps {@code firstStep} to the last, checkpointing as the settings say. */
  public void run(int firstStep) {
    for (int step = firstStep; step <= settings.totalSteps(); step++) {
      TrainingStep row = step(step);
      if (step % settings.logEvery() == 0 || step == settings.totalSteps()) {
        progress.accept(describe(row));
      }
      if (step % settings.checkpointEvery() == 0 || step == settings.totalSteps()) {
        checkpoint(step);
      }
    }
  }

  /** One optimizer step, recorded in the metrics; no checkpoint. */
  public TrainingStep step(int step) {
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

  private void checkpoint(int step) {
    ObjectNode state = JsonNodeFactory.instance.objectNode();
    state.put("stage", settings.stage());
    state.put("total_steps", settings.totalSteps());
    state.put("fingerprint", settings.fingerprint());
    Path dir = checkpoints.save(step, state, into -> {
      writeWeights.accept(into, step);
      SafeTensors.write(into.resolve(OPTIMIZER_FILE), optimizer.state());
    });
    metrics.flush();
    progress.accept(settings.stage() + " checkpoint " + dir);
  }

  /** The progress line of a step. */
  public String describe(TrainingStep row) {
    String text = String.format("%s step %d/%d loss %.4f lr %.2e grad-norm %.3f tokens/s %.0f", row.stage(), row.step(),
        settings.totalSteps(), row.loss(), row.learningRate(), row.gradNorm(), row.tokensPerSecond());
    if (row.rewardAccuracy() != null) {
      text += String.format(" reward-accuracy %.2f margin %.3f", row.rewardAccuracy(), row.rewardMargin());
    }
    if (row.policy() != null) {
      text += String.format(" kl-k3 %.4f clip %.3f entropy %.3f rollout-kl %.2e", row.policy().klK3(), row.policy().clipFraction(),
          row.policy().entropy(), row.policy().rolloutKl());
      if (row.policy().valueLoss() != null) {
        text += String.format(" value-loss %.4f", row.policy().valueLoss());
      }
    }
    return text;
  }
}
