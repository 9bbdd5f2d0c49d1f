package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.trainer.model.Qwen2Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryPlanTest {
  /** vocabulary 10, hidden 4, MLP 6, one layer, 2 heads of 2, one key-value head, context 64, tied head. */
  private static final Qwen2Config SMALL = new Qwen2Config(10, 4, 6, 1, 2, 1, 64, 1e-6, 10000.0, true, 0, 0);
  private static final TrainSettings.Lora LORA = new TrainSettings.Lora(2, 4, List.of("q_proj", "v_proj"));

  @Test
  void fullFloat32TrainingWorkedByHand() {
    MemoryPlan plan = MemoryPlan.of(step(null, MemoryPlan.Precision.F32, 1, false), 3);
    // Attention 16 + 4 + 2 * (8 + 2) + 16 = 56, MLP 3 * 4 * 6 = 72, norms 8: a layer of 136; embeddings 40; final norm 4.
    assertThat(plan.parameters()).isEqualTo(180);
    assertThat(plan.trainableParameters()).isEqualTo(180);
    assertThat(plan.weightBytes()).isEqualTo(720);
    assertThat(plan.gradientBytes()).isEqualTo(720);
    assertThat(plan.optimizerBytes()).isEqualTo(1440);
    // Per token and layer (35*4 + 13*2) / 2 = 83, the grouped copy of q 4 (one key-value head for two),
    // MLP 5*6 = 30, attention 4 * 2 heads * 3 keys = 24: 141; plus 4*4 for the embedding and the final
    // norm; 3 tokens of 4 bytes; and 3 tokens * 2 * 10 float32 logits and log-probabilities.
    assertThat(plan.activationBytes()).isEqualTo(3 * (141 + 16) * 4 + 3 * 2 * 10 * 4);
    // Score gradients 2 * 2 heads * 3 * 3 * 4 bytes; the mask 3 * 3 * 4; the head's gradient 3 * 10 * 4.
    assertThat(plan.transientBytes()).isEqualTo(144 + 36 + 120);
    assertThat(plan.headroomBytes()).isEqualTo((2124 + 300) / 5);
    assertThat(plan.totalBytes()).isEqualTo(720 + 720 + 1440 + 2124 + 300 + 484);
  }

  @Test
  void loraInMixedPrecisionKeepsTheBaseInBfloat16AndTrainsOnlyTheAdapters() {
    MemoryPlan plan = MemoryPlan.of(step(LORA, MemoryPlan.Precision.BF16_MIXED, 2, true), 3);
    // q_proj [4, 4]: 2 * (4 + 4) = 16; v_proj [2, 4]: 2 * (2 + 4) = 12.
    assertThat(plan.trainableParameters()).isEqualTo(28);
    // Base 180 * 2, adapters 28 * (4 master + 2 compute), the reference's copy 180 * 2.
    assertThat(plan.weightBytes()).isEqualTo(360 + 168 + 360);
    assertThat(plan.gradientBytes()).isEqualTo(112);
    assertThat(plan.optimizerBytes()).isEqualTo(224);
    assertThat(plan.activationBytes()).isEqualTo(6 * (141 + 16) * 2 + 6 * 2 * 10 * 4);
    assertThat(plan.transientBytes()).isEqualTo(2 * 144 / 2 + 2 * 36 + 2 * 120);
  }

  @Test
  void anRlStepKeepsSixVocabularySizedArraysPerPosition() {
    MemoryPlan logProbs = MemoryPlan.of(step(null, MemoryPlan.Precision.F32, 1, false), 3);
    MemoryPlan policyGradient = MemoryPlan.of(new MemoryPlan.Step(SMALL, null, MemoryPlan.Precision.F32, MemoryPlan.Head.POLICY_GRADIENT, 1, false), 3);
    // Four more arrays of 10 float32 values at each of 3 positions.
    assertThat(policyGradient.activationBytes() - logProbs.activationBytes()).isEqualTo(4 * 3 * 10 * 4);
  }

  private static MemoryPlan.Step step(TrainSettings.Lora lora, MemoryPlan.Precision precision, int rows, boolean reference) {
    return new MemoryPlan.Step(SMALL, lora, precision, MemoryPlan.Head.LOG_PROBS, rows, reference);
  }

  @Test
  void theLongestSequenceIsTheLastThatFits() {
    long budget = MemoryPlan.of(step(LORA, MemoryPlan.Precision.F32, 1, false), 41).totalBytes();
    assertThat(MemoryPlan.longestSequence(step(LORA, MemoryPlan.Precision.F32, 1, false), budget)).isEqualTo(41);
    assertThat(MemoryPlan.longestSequence(step(LORA, MemoryPlan.Precision.F32, 1, false), budget - 1)).isEqualTo(40);
    assertThat(MemoryPlan.longestSequence(step(LORA, MemoryPlan.Precision.F32, 1, false), Long.MAX_VALUE)).isEqualTo(64);
    assertThat(MemoryPlan.longestSequence(step(LORA, MemoryPlan.Precision.F32, 1, false), 10)).isZero();
  }

  @Test
  void qwen25Coder14BCountsThePublishedNumberOfParameters() {
    Qwen2Config fourteenB = new Qwen2Config(152064, 5120, 13824, 48, 40, 8, 32768, 1e-6, 1e6, false, 151643, 151645);
    // The bfloat16 checkpoint's model.safetensors.index.json gives a total_size of 29,540,067,328 bytes.
    assertThat(MemoryPlan.of(new MemoryPlan.Step(fourteenB, null, MemoryPlan.Precision.F32, MemoryPlan.Head.LOG_PROBS, 1, false), 1).parameters() * 2).isEqualTo(29_540_067_328L);
  }
}
