package dev.crucible.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientsTest {
  @Test
  void theGlobalNormIsTheNormOfEveryGradientAsOneVector() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2});
      NDArray b = manager.create(new float[] {1});
      Map<String, NDArray> parameters = new LinkedHashMap<>();
      parameters.put("a", a);
      parameters.put("b", b);
      parameters.values().forEach(p -> p.setRequiresGradient(true));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        // d/da of 1.5 a0 + 2 a1 is (1.5, 2); d/db of 6 b is 6: the norm is sqrt(2.25 + 4 + 36) = 6.5.
        NDArray loss = a.mul(manager.create(new float[] {1.5f, 2f})).sum().add(b.mul(manager.create(6f)).sum());
        collector.backward(loss);
      }
      try (Gradients gradients = Gradients.of(parameters)) {
        assertThat(gradients.globalNorm()).isCloseTo(6.5, within(1e-6));
        gradients.zero();
        assertThat(gradients.globalNorm()).isZero();
      }
    }
  }

  @Test
  void clippingScalesDownOnlyAboveTheLimit() {
    assertThat(Gradients.clipScale(6.5, 1.0)).isCloseTo(1.0 / (6.5 + 1e-6), within(1e-12));
    assertThat(Gradients.clipScale(0.5, 1.0)).isEqualTo(1.0);
    assertThat(Gradients.clipScale(6.5, 0)).isEqualTo(1.0);
  }
}
