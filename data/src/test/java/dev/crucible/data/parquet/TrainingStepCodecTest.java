package dev.crucible.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.TrainingStep;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class TrainingStepCodecTest {

  @Test
  void anRlStepKeepsItsPolicyFiguresAndOtherStagesLeaveThemNull() {
    TrainingStep rl = new TrainingStep("grpo-local", "grpo", 3, -0.25, 1e-5, 0.7, 640, 1200.0, 533, null, null, null, null,
        new TrainingStep.PolicyFigures(0.01, 0.005, 0.125, 2.5, 1e-7, 0.75));
    GenericRecord record = TrainingStepCodec.INSTANCE.encode(rl);
    assertThat(record.get("clip_fraction")).isEqualTo(0.125);
    assertThat(record.get("rollout_kl")).isEqualTo(1e-7);
    assertThat(TrainingStepCodec.INSTANCE.decode(record)).isEqualTo(rl);

    TrainingStep withoutReference = new TrainingStep("ppo-local", "ppo", 1, 0.5, 1e-5, 0.7, 640, 1200.0, 533, null, null, null, null,
        new TrainingStep.PolicyFigures(null, null, 0.125, 2.5, 1e-7, 0.75));
    assertThat(TrainingStepCodec.INSTANCE.decode(TrainingStepCodec.INSTANCE.encode(withoutReference))).isEqualTo(withoutReference);

    TrainingStep sft = new TrainingStep("sft-local", "sft", 1, 2.3, 1e-4, 1.1, 640, 1200.0, 533, null, null, null, null, null);
    GenericRecord plain = TrainingStepCodec.INSTANCE.encode(sft);
    assertThat(plain.get("kl_k3")).isNull();
    assertThat(TrainingStepCodec.INSTANCE.decode(plain)).isEqualTo(sft);
  }
}
