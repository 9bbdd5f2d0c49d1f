package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.crucible.data.RunLayout;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.trainer.io.SafeTensors;
import dev.crucible.trainer.io.WeightFiles;
import dev.crucible.trainer.lora.LoraAdapters;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.LearningRateSchedule;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * Trains a policy model in an output directory: the full model or LoRA adapters, checkpoints under
 * {@code checkpoints/}, the metrics table under {@code metrics/}, and the result under {@code final/} as a
 * Hugging Face checkpoint (adapters merged) with its tokenizer, ready for {@code djl:} or {@code crucible serve}.
 */
public final class PolicyTraining implements AutoCloseable {

  private final Qwen2Model model;
  private final ChatTokenizer tokenizer;
  private final TrainSettings settings;
  private final Path output;
  private final String baseName;
  private final LoraAdapters lora;
  private final AdamW optimizer;

  /**
   * @param baseName the checkpoint the model came from, recorded in adapter configs
   */
  public PolicyTraining(Qwen2Model model, ChatTokenizer tokenizer, TrainSettings settings, Path output, String baseName) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.settings = settings;
    this.output = output;
    this.baseName = baseName;
    this.lora = settings.lora() == null ? null
        : new LoraAdapters(model, settings.lora().rank(), settings.lora().alpha(), settings.lora().targets(), settings.seed());
    if (lora != null) {
      model.setAdapter(lora);
    }
    this.optimizer = new AdamW(settings.beta1(), settings.beta2(), settings.epsilon(), settings.weightDecay(), model.manager());
  }

  /**
   * Runs {@code objective} for the steps of {@code plan}. With {@code resume}, carries on from the latest
   * checkpoint in the output directory; without it, refuses a directory that already has checkpoints.
   *
   * @return the {@code final/} directory
   */
  public Path run(String runId, String stage, Objective objective, StepPlan plan, String dataFingerprint, boolean resume,
      MeterRegistry registry, Configuration conf, Consumer<String> progress) {
    RunLayout layout = RunLayout.local(output);
    Checkpoints checkpoints = new Checkpoints(HadoopFiles.localFile(layout.checkpoints()));
    Map<String, NDArray> trainable = lora == null ? model.parameters() : lora.parameters();
    MetricsSink metrics = new MetricsSink(layout.metrics(), conf, stage, registry);
    String fingerprint = stage + " " + settings + " items=" + plan.items() + " data=" + dataFingerprint;
    TrainingLoop loop = new TrainingLoop(
        new TrainingLoop.Settings(runId, stage, plan.totalSteps(), settings.checkpointEvery(), settings.maxGradNorm(), settings.logEvery(), fingerprint),
        objective, trainable, optimizer,
        new LearningRateSchedule(settings.learningRate(), settings.warmupSteps(), plan.totalSteps(), settings.minLearningRateRatio()),
        checkpoints, this::writeWeights, metrics, progress);
    int first = 1;
    Optional<Checkpoints.Saved> latest = checkpoints.latest();
    if (latest.isPresent()) {
      if (!resume) {
        throw new IllegalStateException(output + " already holds checkpoints (latest " + latest.get().dir().getFileName()
            + "); pass --resume to continue from it, or choose another output directory");
      }
      restoreWeights(latest.get().dir());
      first = loop.resumeFrom(latest.get()) + 1;
      progress.accept(stage + " resuming after step " + (first - 1) + " from " + latest.get().dir());
    }
    if (first <= plan.totalSteps()) {
      loop.run(first);
    }
    Path result = HadoopFiles.localFile(layout.finalCheckpoint());
    if (lora != null) {
      lora.mergeInto(model);
    }
    model.save(result, WeightFiles.DEFAULT_MAX_SHARD_BYTES);
    tokenizer.save(result);
    return result;
  }

  private void writeWeights(Path dir, int step) {
    tokenizer.save(dir);
    if (lora == null) {
      model.save(dir, WeightFiles.DEFAULT_MAX_SHARD_BYTES);
      return;
    }
    lora.save(dir, baseName);
  }

  private void restoreWeights(Path checkpoint) {
    try (NDManager scratch = model.manager().newSubManager()) {
      if (lora != null) {
        lora.restore(SafeTensors.read(checkpoint.resolve(LoraAdapters.WEIGHTS_FILE), scratch));
        return;
      }
      SafeTensors.copyInto(model.parameters(), WeightFiles.load(checkpoint, scratch), "checkpoint " + checkpoint);
    }
  }

  @Override
  public void close() {
    optimizer.close();
    if (lora != null) {
      lora.close();
    }
  }
}
