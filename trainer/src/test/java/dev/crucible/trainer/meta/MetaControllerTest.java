package dev.crucible.trainer.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meta-controller learns a contextual bandit: tasks of kind A (features 1, 0) pay 1 in mode fast and 0
 * in deep; tasks of kind B (0, 1) pay 0.2 in fast and 1 in deep.
 */
class MetaControllerTest {
  private static final List<String> MODES = List.of("fast", "deep");
  private static final List<String> FEATURES = List.of("kind_a", "kind_b");
  private static final float[] A = {1, 0};
  private static final float[] B = {0, 1};
  private static final MetaController.Settings SETTINGS = new MetaController.Settings(8, 0.05, 1, 0.0, 0.5, 7);

  @TempDir Path temp;

  private static double payoff(float[] kind, int mode) {
    return kind == A ? (mode == 0 ? 1 : 0) : (mode == 0 ? 0.2 : 1);
  }

  @Test
  void itStartsUniformAndLearnsEachKindsBestModeAndItsExpectedReturn() {
    try (NDManager manager = NDManager.newBaseManager(); MetaController controller = MetaController.create(MODES, FEATURES, SETTINGS, manager)) {
      assertThat(controller.probabilities(A)).containsExactly(new float[] {0.5f, 0.5f}, within(1e-6f));
      SplittableRandom random = new SplittableRandom(3);
      for (int round = 0; round < 150; round++) {
        List<MetaController.Decision> decisions = new ArrayList<>();
        for (float[] kind : List.of(A, A, B, B)) {
          int choice = MetaController.sample(controller.probabilities(kind), random);
          decisions.add(new MetaController.Decision(kind, choice, payoff(kind, choice)));
        }
        controller.update(decisions);
      }
      assertThat(controller.probabilities(A)[0]).as("kind A: fast").isGreaterThan(0.9f);
      assertThat(controller.probabilities(B)[1]).as("kind B: deep").isGreaterThan(0.9f);
      assertThat(controller.baseline(A)).as("A's return under a mostly-fast policy").isCloseTo(1.0, within(0.15));
      assertThat(controller.updates()).isEqualTo(150);
    }
  }

  @Test
  void itSavesAndLoadsExactlyAndRefusesOtherModesOrFeatures() {
    try (NDManager manager = NDManager.newBaseManager(); MetaController controller = MetaController.create(MODES, FEATURES, SETTINGS, manager)) {
      controller.update(List.of(new MetaController.Decision(A, 0, 1.0), new MetaController.Decision(B, 0, 0.2)));
      controller.save(temp);
      try (MetaController loaded = MetaController.load(temp, MODES, FEATURES, SETTINGS, manager)) {
        assertThat(loaded.probabilities(B)).containsExactly(controller.probabilities(B), within(0f));
        assertThat(loaded.updates()).isEqualTo(1);
        // The restored moments take the same next step as the live ones.
        List<MetaController.Decision> next = List.of(new MetaController.Decision(B, 1, 1.0));
        controller.update(next);
        loaded.update(next);
        assertThat(loaded.probabilities(B)).containsExactly(controller.probabilities(B), within(1e-6f));
      }
      assertThatThrownBy(() -> MetaController.load(temp, List.of("fast", "standard", "deep"), FEATURES, SETTINGS, manager))
          .hasMessageContaining(MetaController.STATE).hasMessageContaining("[fast, deep]");
    }
  }
}
