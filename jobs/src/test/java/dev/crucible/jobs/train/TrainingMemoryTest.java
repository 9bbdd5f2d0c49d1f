package dev.crucible.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.train.MemoryPlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingMemoryTest {
  private static final Qwen2Config MODEL = new Qwen2Config(97, 48, 80, 2, 6, 2, 4096, 1e-6, 10000.0, true, 0, 0);

  @Test
  void aRunThatFitsPrintsItsPlan() {
    List<String> lines = new ArrayList<>();
    MemoryPlan plan = TrainingMemory.check("sft", step(false), 256, 1L << 30, "the host", lines::add);
    assertThat(lines).anyMatch(line -> line.startsWith("sft: memory plan: F32"))
        .anyMatch(line -> line.equals("sft:   total          " + MemoryPlan.gib(plan.totalBytes())))
        .anyMatch(line -> line.equals("sft: memory available on the host: 1.00 GiB"));
  }

  @Test
  void aRunThatCannotFitIsRefusedWithTheLongestSequenceThatWould() {
    long available = MemoryPlan.of(step(true), 1000).totalBytes();
    assertThatThrownBy(() -> TrainingMemory.check("rl", step(true), 2048, available, "gpu(0)", line -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rl cannot fit: a step needs")
        .hasMessageContaining("is available on gpu(0)")
        .hasMessageContaining("the longest training.sequence_length that fits is 1000 (now 2048)")
        .hasMessageContaining("LoRA adapters");
  }

  private static MemoryPlan.Step step(boolean reference) {
    return new MemoryPlan.Step(MODEL, null, MemoryPlan.Precision.F32, MemoryPlan.Head.POLICY_GRADIENT, 2, reference);
  }
}
