package dev.crucible.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.model.AttentionBias;
import dev.crucible.trainer.model.Qwen2Model;
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

  /** {@code [batch, length]}: log p(target) at each position, zero where the mask is off. */
  public static NDArray masked(Qwen2Model model, Batch batch) {
    NDArray logits = model.forward(batch.inputs(), batch.positions(), batch.bias(), null);
    NDArray picked = logits.logSoftmax(-1).gather(batch.targets().expandDims(-1), -1).squeeze(-1);
    return picked.mul(batch.mask());
  }
}
