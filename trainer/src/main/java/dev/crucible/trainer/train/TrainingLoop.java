package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.TrainingStep;
import dev.crucible.trainer.io.SafeTensors;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.LearningRateSchedule;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The optimizer loop SFT and DPO share: {@link OptimizerStep}s, a progress line every N, and a checkpoint
 * every N steps with the optimizer state. A resumed loop restores the moments and the step and carries on where the checkpoint left off.
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
  private final OptimizerStep optimizerStep;
  private final Map<String, NDArray> trainable;
  private final AdamW optimizer;
  private final Checkpoints checkpoints;
  private final BiConsumer<Path, Integer> writeWeights;
  private final MetricsSink metrics;
  private final Consumer<String> progress;

  /**
   * @param objective computes each step's gradients
   * @param writeWeights writes what a checkpoint needs beside the optimizer (the model or the adapters) into a directory
   */
  public TrainingLoop(Settings settings, Objective objective, Map<String, NDArray> trainable, AdamW optimizer,
      LearningRateSchedule schedule, Checkpoints checkpoints, BiConsumer<Path, Integer> writeWeights, MetricsSink metrics,
      Consumer<String> progress) {
    this.settings = settings;
    this.optimizerStep = new OptimizerStep(new OptimizerStep.Settings(settings.runId(), settings.stage(), settings.totalSteps(),
        settings.maxGradNorm()), objective, trainable, optimizer, schedule, metrics);
    this.trainable = trainable;
    this.optimizer = optimizer;
    this.checkpoints = checkpoints;
    this.writeWeights = writeWeights;
    this.metrics = metrics;
    this.progress = progress;
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
    long started = System.nanoTime();
    for (int step = firstStep; step <= settings.totalSteps(); step++) {
      TrainingStep row = optimizerStep.take(step);
      if (step % settings.logEvery() == 0 || step == settings.totalSteps()) {
        progress.accept(optimizerStep.describe(row) + " "
            + dev.crucible.data.Eta.of(step - firstStep + 1, settings.totalSteps() - firstStep + 1, (System.nanoTime() - started) / 1e9));
      }
      if (step % settings.checkpointEvery() == 0 || step == settings.totalSteps()) {
        checkpoint(step);
      }
    }
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
}
