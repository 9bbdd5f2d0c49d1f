package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.crucible.trainer.optim.Gradients;
import dev.crucible.trainer.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/** Every expected value here was worked out by hand; the arithmetic is in the comments. */
class LossesTest {

  @Test
  void sftIsTheMeanNegativeLogLikelihoodOverCountedTokens() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Masked log-probs -1 and -2 (the 0 is a position out of the mask); over 2 tokens: (1 + 2) / 2.
      assertThat(Losses.sft(m.create(new float[][] {{-1f, -2f, 0f}}), 2).getFloat()).isCloseTo(1.5f, within(1e-6f));
      // The same sum over a step of 4 counted tokens (accumulation): 3 / 4.
      assertThat(Losses.sft(m.create(new float[][] {{-1f, -2f, 0f}}), 4).getFloat()).isCloseTo(0.75f, within(1e-6f));
    }
  }

  @Test
  void dpoLossFollowsTheLogSigmoidOfTheRewardMargin() {
    try (NDManager m = NDManager.newBaseManager()) {
      // beta 0.5; chosen -1 vs reference -2 -> reward 0.5; rejected -3 vs -2 -> reward -0.5; margin 1.
      // loss = -log(sigmoid(1)) = log(1 + e^-1) = 0.3132617.
      float[] loss = Losses.dpo(m.create(new float[] {-1f, -2f}), m.create(new float[] {-3f, -2f}),
          m.create(new float[] {-2f, -2f}), m.create(new float[] {-2f, -2f}), 0.5f).toFloatArray();
      assertThat(loss[0]).isCloseTo(0.3132617f, within(1e-6f));
      // Second pair: policy equals reference on both -> margin 0 -> log 2 = 0.6931472.
      assertThat(loss[1]).isCloseTo(0.6931472f, within(1e-6f));
      assertThat(Losses.implicitReward(m.create(new float[] {-1f}), m.create(new float[] {-2f}), 0.5f).getFloat(0))
          .isCloseTo(0.5f, within(1e-7f));
    }
  }

  @Test
  void dpoLossStaysFiniteForALargeWrongMargin() {
    try (NDManager m = NDManager.newBaseManager()) {
      // margin = 1 * ((-100 - 0) - (0 - 0)) = -100 -> loss = softplus(100) = 100 (to float precision).
      float loss = Losses.dpo(m.create(new float[] {-100f}), m.create(new float[] {0f}), m.create(new float[] {0f}),
          m.create(new float[] {0f}), 1f).getFloat(0);
      assertThat(loss).isCloseTo(100f, within(1e-3f));
    }
  }

  @Test
  void scheduleWarmsUpLinearlyThenFollowsTheCosineToTheFloor() {
    LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 10, 110, 0.1);
    assertThat(schedule.at(1)).isCloseTo(1e-4, within(1e-12));     // 1e-3 * 1/10
    assertThat(schedule.at(10)).isCloseTo(1e-3, within(1e-12));    // peak
    assertThat(schedule.at(60)).isCloseTo(5.5e-4, within(1e-12));  // halfway: 0.1 + 0.9 * 0.5 = 0.55 of the peak
    assertThat(schedule.at(110)).isCloseTo(1e-4, within(1e-12));   // floor: 0.1 of the peak
  }

  @Test
  void clippingScalesOnlyNormsAboveTheLimit() {
    assertThat(Gradients.clipScale(0.5, 1.0)).isEqualTo(1.0);
    assertThat(Gradients.clipScale(4.0, 1.0)).isCloseTo(0.25, within(1e-6));
    assertThat(Gradients.clipScale(4.0, 0)).isEqualTo(1.0);
  }
}
