package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.TrainingStep;
import dev.crucible.data.io.HadoopFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsSinkTest {
  @TempDir Path temp;

  @Test
  void gaugesShowTheLastStepsPolicyFiguresAndTheTableKeepsEveryStep() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MetricsSink sink = new MetricsSink(HadoopFiles.local(temp), new Configuration(), "grpo", registry);
    assertThat(registry.get("crucible.train.clip_fraction").gauge().value()).isNaN();
    sink.record(new TrainingStep("r", "grpo", 1, -0.1, 1e-5, 0.5, 100, 10, 10, null, null, null, null,
        new TrainingStep.PolicyFigures(0.02, 0.01, 0.25, 3.5, 1e-9, null)));
    assertThat(registry.get("crucible.train.clip_fraction").tag("stage", "grpo").gauge().value()).isEqualTo(0.25);
    assertThat(registry.get("crucible.train.kl_k3").gauge().value()).isEqualTo(0.01);
    assertThat(registry.get("crucible.train.entropy").gauge().value()).isEqualTo(3.5);
    assertThat(registry.get("crucible.train.rollout_kl").gauge().value()).isEqualTo(1e-9);
    sink.record(new TrainingStep("r", "grpo", 2, -0.1, 1e-5, 0.5, 100, 10, 10, null, null, null, null, null));
    assertThat(registry.get("crucible.train.entropy").gauge().value()).isNaN();
    sink.flush();
    assertThat(MetricsSink.read(HadoopFiles.local(temp), new Configuration(), "grpo")).extracting(TrainingStep::step).containsExactly(1, 2);
  }
}
