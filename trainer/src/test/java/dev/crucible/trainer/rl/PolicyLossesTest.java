package dev.crucible.trainer.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Every expected value here was worked out by hand; the arithmetic is in the comments. */
class PolicyLossesTest {
  private static final PolicyLosses.Clip CLIP = new PolicyLosses.Clip(0.2, 0.28, 0);

  @Test
  void theSurrogateTakesThePessimisticOfTheRatioAndItsClip() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Token 1: A = 1, ratio = e^0.4054651 = 1.5 -> unclipped -1.5, clipped at 1.28 -> -1.28; max: -1.28 (clipped).
      // Token 2: A = 1, ratio 1.1 -> -1.1 both ways (inside the range).
      // Token 3: A = -1, ratio 0.5 -> unclipped 0.5, clipped at 0.8 -> 0.8; max: 0.8 (clipped).
      // Token 4: A = -1, ratio 1.5 -> unclipped 1.5, clipped 1.28; max: 1.5 (not clipped: pessimistic).
      NDArray old = m.create(new float[] {0, 0, 0, 0});
      NDArray logp = m.create(new float[] {(float) Math.log(1.5), (float) Math.log(1.1), (float) Math.log(0.5), (float) Math.log(1.5)});
      NDArray advantages = m.create(new float[] {1, 1, -1, -1});
      PolicyLosses.Surrogate surrogate = PolicyLosses.clippedSurrogate(logp, old, advantages, CLIP);
      assertThat(surrogate.loss().toFloatArray()).containsExactly(new float[] {-1.28f, -1.1f, 0.8f, 1.5f}, within(1e-5f));
      assertThat(surrogate.clipped().toFloatArray()).containsExactly(1, 0, 1, 0);
    }
  }

  @Test
  void theDualClipBoundsTheLossOfNegativeAdvantages() {
    try (NDManager m = NDManager.newBaseManager()) {
      // A = -1, ratio 5, c = 3: the surrogate gives max(5, 1.28) = 5; the dual clip: min(5, 3) = 3.
      // A = -2, ratio 1.2 (inside): 2.4, under the bound 6: unchanged. A = +1, ratio 5: -1.28, no dual clip.
      PolicyLosses.Clip dual = new PolicyLosses.Clip(0.2, 0.28, 3);
      NDArray logp = m.create(new float[] {(float) Math.log(5), (float) Math.log(1.2), (float) Math.log(5)});
      PolicyLosses.Surrogate surrogate = PolicyLosses.clippedSurrogate(logp, m.zeros(logp.getShape()),
          m.create(new float[] {-1, -2, 1}), dual);
      assertThat(surrogate.loss().toFloatArray()).containsExactly(new float[] {3f, 2.4f, -1.28f}, within(1e-5f));
      assertThat(surrogate.clipped().toFloatArray()).containsExactly(1, 0, 1);
    }
  }

  @Test
  void aClippedTokenGivesNoGradientAndAnUnclippedOneGivesMinusAdvantageTimesRatio() {
    try (NDManager m = NDManager.newBaseManager()) {
      // d/dlogp of -A * exp(logp - old) is -A * ratio: for A = 2, ratio 1.1: -2.2. The clipped token: 0.
      NDArray logp = m.create(new float[] {(float) Math.log(1.1), (float) Math.log(1.5)});
      logp.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = PolicyLosses.clippedSurrogate(logp, m.zeros(logp.getShape()), m.create(new float[] {2, 2}), CLIP)
            .loss().sum();
        collector.backward(loss);
      }
      assertThat(logp.getGradient().toFloatArray()).containsExactly(new float[] {-2.2f, 0f}, within(1e-5f));
    }
  }

  @Test
  void klEstimatorsK1AndK3() {
    try (NDManager m = NDManager.newBaseManager()) {
      // logp -1, ref -2: k1 = 1; r = -1: k3 = e^-1 + 1 - 1 = 0.3678794.
      // logp -2, ref -1: k1 = -1; r = 1: k3 = e - 1 - 1 = 0.7182818. Equal: both 0.
      NDArray logp = m.create(new float[] {-1, -2, -3});
      NDArray ref = m.create(new float[] {-2, -1, -3});
      assertThat(PolicyLosses.k1(logp, ref).toFloatArray()).containsExactly(new float[] {1, -1, 0}, within(1e-6f));
      assertThat(PolicyLosses.k3(logp, ref).toFloatArray()).containsExactly(new float[] {0.3678794f, 0.7182818f, 0}, within(1e-6f));
    }
  }

  @Test
  void entropyOfEachPositionsDistribution() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Logits 0, ln 3: p = 1/4, 3/4; H = 0.25 ln 4 + 0.75 ln(4/3) = 0.3465736 + 0.2157616 = 0.5623351.
      // Uniform over 4: ln 4 = 1.3862944.
      NDArray logits = m.create(new float[][] {{0, (float) Math.log(3), -1000, -1000}, {1, 1, 1, 1}});
      assertThat(PolicyLosses.entropy(logits).toFloatArray()).containsExactly(new float[] {0.5623351f, 1.3862944f}, within(1e-5f));
    }
  }

  @Test
  void truncatedImportanceWeightsAreCappedAndCarryNoGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      // old -1 vs rollout -2: e^1 = 2.718 -> cap 2. old -2 vs rollout -1: e^-1 = 0.3678794.
      NDArray old = m.create(new float[] {-1, -2});
      old.setRequiresGradient(true);
      NDArray weights;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        weights = PolicyLosses.truncatedImportanceWeights(old, m.create(new float[] {-2, -1}), 2);
        collector.backward(weights.mul(old).sum());
      }
      assertThat(weights.toFloatArray()).containsExactly(new float[] {2f, 0.3678794f}, within(1e-6f));
      // d/dold of (w * old) with w constant is w: no term from w itself.
      assertThat(old.getGradient().toFloatArray()).containsExactly(new float[] {2f, 0.3678794f}, within(1e-6f));
      assertThatThrownBy(() -> PolicyLosses.truncatedImportanceWeights(old, old, 0.5)).hasMessageContaining("at least 1");
    }
  }

  @Test
  void theValueLossIsClippedAroundTheOldValue() {
    try (NDManager m = NDManager.newBaseManager()) {
      // V 2, V_old 1, R 0, c 0.5: plain 4; clipped V 1.5 -> 2.25; max 4 -> 0.5 * 4 = 2.
      // V 0.2, V_old 1, R 0: plain 0.04; clipped V 0.5 -> 0.25; max 0.25 -> 0.125.
      NDArray values = m.create(new float[] {2, 0.2f});
      NDArray old = m.create(new float[] {1, 1});
      NDArray returns = m.create(new float[] {0, 0});
      assertThat(PolicyLosses.valueLoss(values, old, returns, 0.5).toFloatArray()).containsExactly(new float[] {2f, 0.125f}, within(1e-6f));
      // No clip: 0.5 * 4, 0.5 * 0.04.
      assertThat(PolicyLosses.valueLoss(values, old, returns, 0).toFloatArray()).containsExactly(new float[] {2f, 0.02f}, within(1e-6f));
    }
  }

  @Test
  void aggregationDividesTheMaskedSumByTheStepsTokensOrSequences() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Masked sum: 1 + 2 + 4 = 7. Token mean over 3 tokens: 2.3333333. Sequence sum over 2 sequences: 3.5.
      NDArray perToken = m.create(new float[][] {{1, 2, 3}, {4, 5, 6}});
      NDArray mask = m.create(new float[][] {{1, 1, 0}, {1, 0, 0}});
      assertThat(Aggregation.TOKEN_MEAN.apply(perToken, mask, 3, 2).getFloat()).isCloseTo(2.3333333f, within(1e-6f));
      assertThat(Aggregation.SEQUENCE_SUM.apply(perToken, mask, 3, 2).getFloat()).isCloseTo(3.5f, within(1e-6f));
    }
  }

  @Test
  void clipRangesOutsideTheirDomainAreRefused() {
    assertThatThrownBy(() -> new PolicyLosses.Clip(1.2, 0.2, 0)).hasMessageContaining("0 <= low < 1");
    assertThatThrownBy(() -> new PolicyLosses.Clip(0.2, 0.2, 0.5)).hasMessageContaining("above 1");
  }
}
