package dev.crucible.trainer.rl;

import dev.crucible.trainer.train.TokenSequences;
import java.util.Map;

/**
 * MRT's dense credit (Qu et al., 2025, "Optimizing Test-Time Compute via Meta Reinforcement Fine-Tuning",
 * the progress-augmented objective {@code r(x, z) + alpha * sum_j r_prg(z_j)}): every token an episode
 * sampled carries the episode's outcome advantage, and the tokens of the turn that made an edit boundary
 * also carry {@code alpha} times that boundary's progress, so the update credits each turn with what its
 * own change did to the tests.
 */
public final class ProgressCredit {
  private ProgressCredit() {}

  /**
   * Each position's advantage in {@code sequence}: {@code outcome + alpha * progress} of the turn that
   * sampled it ({@code outcome} alone for a turn with no progress), 0 where nothing was sampled.
   *
   * @param progressByTurn the progress credited to each assistant turn index that has one
   */
  public static float[] advantages(TokenSequences.Sequence sequence, double outcome, Map<Integer, Double> progressByTurn, double alpha) {
    float[] advantages = new float[sequence.length()];
    for (int position = 0; position < advantages.length; position++) {
      if (sequence.sampled()[position]) {
        Double progress = progressByTurn.get(sequence.turns()[position]);
        advantages[position] = (float) (outcome + (progress == null ? 0 : alpha * progress));
      }
    }
    return advantages;
  }
}
