package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.crucible.trainer.model.Qwen2Model;
import java.util.List;

/** Summed log-probability of each row's counted targets, without gradients (the DPO reference). */
public final class SequenceScores {
  private SequenceScores() {}

  public static double[] of(Qwen2Model model, List<PackedRow> rows, int batchSize) {
    double[] scores = new double[rows.size()];
    for (int from = 0; from < rows.size(); from += batchSize) {
      List<PackedRow> batch = rows.subList(from, Math.min(rows.size(), from + batchSize));
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray sums = TokenLogprobs.rowSums(model, TokenLogprobs.Batch.of(model.manager(), batch));
        float[] values = sums.toFloatArray();
        for (int i = 0; i < values.length; i++) {
          scores[from + i] = values[i];
        }
      }
    }
    return scores;
  }
}
