package dev.crucible.trainer.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The meta-controller's loss terms on values worked by hand. */
class MetaObjectiveTest {
  private static final float LN3 = (float) Math.log(3);

  @Test
  void theReturnIsTheRewardLessLambdaTimesTheTokens() {
    assertThat(MetaObjective.costAdjustedReturn(1.0, 2000, 1e-4)).isCloseTo(0.8, within(1e-12));
    assertThat(MetaObjective.costAdjustedReturn(-0.1, 0, 1e-4)).isEqualTo(-0.1);
  }

  @Test
  void thePolicyLossIsMinusTheMeanAdvantageWeightedLogProbabilityOfTheChoice() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Row 0: p = (0.25, 0.75), chose 1 with advantage 2. Row 1: p = (0.5, 0.5), chose 0 with advantage -1.
      NDArray logits = m.create(new float[] {0, LN3, 0, 0}, new Shape(2, 2));
      logits.setRequiresGradient(true);
      NDArray choices = m.create(new float[] {1, 0});
      NDArray advantages = m.create(new float[] {2, -1});
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = MetaObjective.policyLoss(logits, choices, advantages);
        // -(2 ln 0.75 + (-1) ln 0.5) / 2 = -(-0.575364 + 0.693147) / 2
        assertThat(loss.getFloat()).isCloseTo(-0.0588915f, within(1e-6f));
        collector.backward(loss);
      }
      // d/dlogits = -(A / n)(onehot - p): row 0: -(2/2)((0,1) - (0.25,0.75)); row 1: (1/2)((1,0) - (0.5,0.5)).
      assertThat(logits.getGradient().toFloatArray()).containsExactly(new float[] {0.25f, -0.25f, 0.25f, -0.25f}, within(1e-6f));
    }
  }

  @Test
  void theBaselineLossIsTheMeanSquaredErrorAndTheEntropyIsInNats() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(MetaObjective.baselineLoss(m.create(new float[] {0.5f, 0}), m.create(new float[] {1, -1})).getFloat())
          .as("(0.25 + 1) / 2").isCloseTo(0.625f, within(1e-6f));
      // p = (0.25, 0.75): -(0.25 ln 0.25 + 0.75 ln 0.75) = 0.346574 + 0.215762
      assertThat(MetaObjective.entropy(m.create(new float[] {0, LN3}, new Shape(1, 2))).getFloat()).isCloseTo(0.562335f, within(1e-5f));
      assertThat(MetaObjective.entropy(m.create(new float[] {0, 0, 0}, new Shape(1, 3))).getFloat()).isCloseTo((float) Math.log(3), within(1e-6f));
    }
  }
}
