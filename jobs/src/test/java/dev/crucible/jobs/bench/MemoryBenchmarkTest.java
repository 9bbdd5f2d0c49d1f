package dev.crucible.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.jobs.Cli;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.train.MemoryPlan;
import org.junit.jupiter.api.Test;

/**
 * {@code crucible bench memory} as a user runs it, small: the plan it prints is the plan of that shape, and
 * the steps really added resident memory. The ratio itself is the benchmark's figure, not checked here: in
 * a test JVM, memory earlier tests freed and the allocator kept makes the measured share unreliable.
 */
class MemoryBenchmarkTest {
  @Test
  void printsThePlanOfTheShapeAndWhatTheStepsUsed() throws Exception {
    Cli.Result result = Cli.run("bench", "memory", "--hidden", "128", "--layers", "2", "--heads", "4", "--kv-heads", "2",
        "--sequence", "256", "--batch", "2");
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode figures = new ObjectMapper().readTree(result.out().trim());
    Qwen2Config config = new Qwen2Config(1431, 128, 341, 2, 4, 2, 256, 1e-6, 10000, true, 0, 0);
    MemoryPlan plan = MemoryPlan.of(new MemoryPlan.Step(config, null, MemoryPlan.Precision.F32, MemoryPlan.Head.LOG_PROBS, 2, false), 256);
    assertThat(figures.path("benchmark").asText()).isEqualTo("memory");
    assertThat(figures.path("planned_gib").asDouble()).isCloseTo((plan.totalBytes() - plan.weightBytes()) / (double) (1L << 30),
        org.assertj.core.api.Assertions.within(0.0006));
    assertThat(figures.path("measured_gib").asDouble()).isPositive();
    assertThat(figures.path("measured_over_planned").asDouble()).isPositive();
  }
}
