package dev.crucible.trainer.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crucible.trainer.train.PackedRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class PpoTargetsTest {
  /** A row of four positions whose counted ones are {@code counted}. */
  private static PackedRow row(boolean... counted) {
    return new PackedRow(new long[4], new long[4], counted, new int[] {1, 1, 1, 1}, new long[4]);
  }

  /**
   * Worked by hand. One episode over two rows: counted tokens with values 0.1, 0.2 (row 1) and 0.3 (row 2),
   * reward 1 on the last. gamma = lambda = 1: A_k = 1 - V_k = 0.9, 0.8, 0.7; returns all 1.
   */
  @Test
  void chainsAnEpisodesTokensAcrossItsRows() {
    PpoTargets.Episode episode = new PpoTargets.Episode(List.of(row(false, true, true, false), row(false, false, false, true)),
        List.of(new float[] {9, 0.1f, 0.2f, 9}, new float[] {9, 9, 9, 0.3f}), 1.0);
    PpoTargets.Targets targets = PpoTargets.of(List.of(episode), 1, 1, false).get(0);
    assertThat(targets.advantages().get(0)).containsExactly(new float[] {0, 0.9f, 0.8f, 0}, within(1e-6f));
    assertThat(targets.advantages().get(1)).containsExactly(new float[] {0, 0, 0, 0.7f}, within(1e-6f));
    assertThat(targets.returns().get(0)).containsExactly(new float[] {0, 1, 1, 0}, within(1e-6f));
    assertThat(targets.returns().get(1)).containsExactly(new float[] {0, 0, 0, 1}, within(1e-6f));

    // Whitened over the batch: mean 0.8, population std sqrt(0.02 / 3); returns unchanged.
    PpoTargets.Targets whitened = PpoTargets.of(List.of(episode), 1, 1, true).get(0);
    double std = Math.sqrt(0.02 / 3);
    assertThat(whitened.advantages().get(0)[1]).isCloseTo((float) (0.1 / std), within(1e-4f));
    assertThat(whitened.advantages().get(0)[2]).isCloseTo(0f, within(1e-4f));
    assertThat(whitened.advantages().get(1)[3]).isCloseTo((float) (-0.1 / std), within(1e-4f));
    assertThat(whitened.returns().get(1)[3]).isEqualTo(1f);
  }

  /**
   * gamma 1, lambda 0.5, values 0.5 and 0.25, reward -1 on the second token: delta_2 = -1 - 0.25 = -1.25,
   * delta_1 = 0 + 0.25 - 0.5 = -0.25; A_2 = -1.25, A_1 = -0.25 + 0.5 * -1.25 = -0.875; returns A + V.
   */
  @Test
  void discountsWithLambda() {
    PpoTargets.Episode episode = new PpoTargets.Episode(List.of(row(true, true, false, false)), List.of(new float[] {0.5f, 0.25f, 0, 0}), -1);
    PpoTargets.Targets targets = PpoTargets.of(List.of(episode), 1, 0.5, false).get(0);
    assertThat(targets.advantages().get(0)).containsExactly(new float[] {-0.875f, -1.25f, 0, 0}, within(1e-6f));
    assertThat(targets.returns().get(0)).containsExactly(new float[] {-0.375f, -1.0f, 0, 0}, within(1e-6f));
  }

  /**
   * KL in the reward: beta 0.5, old log-probs -1 and -2 against reference -1.5 and -1: k1 = 0.5 and -1,
   * penalties 0.25 and -0.5. Rewards -0.25 and 0.5 + 1; values 0; gamma = lambda = 1: A = 1.25, 1.5.
   */
  @Test
  void aKlPenaltyIsPartOfEachTokensReward() {
    List<float[]> penalties = PpoTargets.klPenalties(List.of(new float[] {-1, -2, 0, 0}), List.of(new float[] {-1.5f, -1, 0, 0}), 0.5);
    assertThat(penalties.get(0)).containsExactly(new float[] {0.25f, -0.5f, 0, 0}, within(1e-6f));
    PpoTargets.Episode episode = new PpoTargets.Episode(List.of(row(true, true, false, false)), List.of(new float[4]), 1.0, penalties);
    PpoTargets.Targets targets = PpoTargets.of(List.of(episode), 1, 1, false).get(0);
    assertThat(targets.advantages().get(0)).containsExactly(new float[] {1.25f, 1.5f, 0, 0}, within(1e-6f));
  }
}
