package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.model.AttentionBias;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.model.Scalars;
import java.util.List;

/** The model's log-probability of each row's targets, and the mask of those that count. */
public final class TokenLogprobs {
  private TokenLogprobs() {}

  /** Arrays of a batch of rows: inputs, targets, positions, mask (float) and attention bias. */
  public record Batch(NDArray inputs, NDArray targets, NDArray positions, NDArray mask, NDArray bias) {

    public static Batch of(NDManager manager, List<PackedRow> rows) {
      int batch = rows.size();
      int length = rows.get(0).length();
      long[] inputs = new long[batch * length];
      long[] targets = new long[batch * length];
      long[] positions = new long[batch * length];
      float[] mask = new float[batch * length];
      int[][] segments = new int[batch][];
      for (int b = 0; b < batch; b++) {
        PackedRow row = rows.get(b);
        System.arraycopy(row.inputs(), 0, inputs, b * length, length);
        System.arraycopy(row.targets(), 0, targets, b * length, length);
        System.arraycopy(row.positions(), 0, positions, b * length, length);
        for (int t = 0; t < length; t++) {
          mask[b * length + t] = row.lossMask()[t] ? 1f : 0f;
        }
        segments[b] = row.segments();
      }
      Shape shape = new Shape(batch, length);
      return new Batch(manager.create(inputs, shape), manager.create(targets, shape), manager.create(positions, shape),
          manager.create(mask, shape), AttentionBias.packed(manager, segments));
    }
  }

  /**
   * log p(target) at the counted positions only, {@code [counted]} in row-major order. The head and the
   * log-softmax run at those positions alone: over a real vocabulary (152,064 for Qwen2.5) the logits of
   * every position would be a large share of a step's memory and time, and prompts and tool output,
   * which count for nothing, are most positions of an agent's sequence.
   */
  public static NDArray counted(Qwen2Model model, Batch batch) {
    return counted(model, batch, countedPositions(batch));
  }

  private static NDArray counted(Qwen2Model model, Batch batch, NDArray selected) {
    NDArray hidden = model.hidden(batch.inputs(), batch.positions(), batch.bias(), null);
    NDArray rows = hidden.reshape(-1, hidden.getShape().get(2)).get(selected);
    return ofTargets(model.logits(rows), batch.targets().reshape(-1).get(selected));
  }

  /** {@code [batch × length]}, true at the positions the mask counts. */
  private static NDArray countedPositions(Batch batch) {
    return batch.mask().reshape(-1).toType(DataType.BOOLEAN, false);
  }

  /** {@code [batch]}: each row's log p(target) summed over its counted positions, from {@link #counted}. */
  public static NDArray rowSums(Qwen2Model model, Batch batch) {
    NDArray selected = countedPositions(batch);
    NDArray counted = counted(model, batch, selected);
    NDManager manager = counted.getManager();
    Shape shape = batch.mask().getShape();
    NDArray rowIndex = manager.arange((int) shape.get(0)).expandDims(1).repeat(1, shape.get(1)).reshape(-1).get(selected);
    // [batch, counted], 1 where the counted position belongs to the row: every row's sum in one product.
    NDArray membership = rowIndex.oneHot((int) shape.get(0)).transpose();
    return membership.matMul(counted.expandDims(1)).squeeze(1);
  }

  /** {@code [batch, length]}: log p(target) under {@code softmax(logits)}, at every position. */
  public static NDArray ofTargets(NDArray logits, NDArray targets) {
    return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
  }

  /**
   * Per row and position, log p(target) under {@code softmax(logits / temperature)}, without gradients:
   * the sampling policy's or the reference's log-probs before an RL update.
   */
  public static float[][] tempered(Qwen2Model model, List<PackedRow> rows, double temperature, int batchSize) {
    float[][] logprobs = new float[rows.size()][];
    for (int from = 0; from < rows.size(); from += batchSize) {
      List<PackedRow> micro = rows.subList(from, Math.min(rows.size(), from + batchSize));
      try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
        scope.suppressNotUsedWarning();
        Batch batch = Batch.of(model.manager(), micro);
        NDArray logits = Scalars.over(model.forward(batch.inputs(), batch.positions(), batch.bias(), null), temperature);
        float[] values = ofTargets(logits, batch.targets()).toFloatArray();
        int length = micro.get(0).length();
        for (int i = 0; i < micro.size(); i++) {
          logprobs[from + i] = java.util.Arrays.copyOfRange(values, i * length, (i + 1) * length);
        }
      }
    }
    return logprobs;
  }
}
