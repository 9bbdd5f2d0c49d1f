package dev.crucible.trainer.train;

import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** One SFT step with LoRA adapters on q_proj and v_proj, through {@link PolicyTraining}, for tests of other packages. */
public final class LoraStepFixture {
  private LoraStepFixture() {}

  /**
   * Trains {@code model} for one step on the training tests' conversations (packed into 320 tokens),
   * checkpointing the adapters at that step; returns the {@code final/} directory with them merged.
   */
  public static Path oneLoraStep(Qwen2Model model, ChatTokenizer tokenizer, String baseName, Path out) {
    List<PackedRow> rows = new Packer(320).pack(TrainingRuns.conversations(tokenizer)).subList(0, 1);
    TrainSettings settings = new TrainSettings(320, 1, 1, 1, 1, 1e-3, 0, 0.1, 0.0, 1.0, 0.9, 0.95, 1e-8, 1, 1, 1,
        new TrainSettings.Lora(4, 8.0, List.of("q_proj", "v_proj")));
    StepPlan plan = StepPlan.of(rows.size(), settings.itemsPerStep(), settings.epochs(), settings.maxSteps(), settings.seed());
    try (PolicyTraining training = new PolicyTraining(model, tokenizer, settings, out, baseName)) {
      return training.run("lora-step", "sft", new SftObjective(model, rows, plan, settings.batchSize()), plan, "rows", false,
          new SimpleMeterRegistry(), new Configuration(), line -> { });
    }
  }
}
