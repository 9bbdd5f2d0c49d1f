package dev.crucible.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks: 0 where a query may attend to a key, a large negative number where not.
 * A finite number rather than minus infinity keeps a fully masked padding row from turning into NaN.
 */
public final class AttentionBias {
  private static final float BLOCKED = -1e9f;

  private AttentionBias() {}

  /** {@code [1, 1, queries, past + queries]}: each new position sees the cache and the positions before it. */
  public static NDArray causal(NDManager manager, int past, int queries) {
    int keys = past + queries;
    float[] bias = new float[queries * keys];
    for (int q = 0; q < queries; q++) {
      for (int k = past + q + 1; k < keys; k++) {
        bias[q * keys + k] = BLOCKED;
      }
    }
    return manager.create(bias, new Shape(1, 1, queries, keys));
  }

  /**
   * {@code [batch, 1, 1, max position + 1]} for one new token per cache row: row {@code i}, at
   * {@code positions[i]}, sees its keys up to that position and none of the longer rows' beyond it.
   */
  public static NDArray decoding(NDManager manager, int[] positions) {
    int keys = 0;
    for (int position : positions) {
      keys = Math.max(keys, position + 1);
    }
    float[] bias = new float[positions.length * keys];
    for (int row = 0; row < positions.length; row++) {
      for (int k = positions[row] + 1; k < keys; k++) {
        bias[row * keys + k] = BLOCKED;
      }
    }
    return manager.create(bias, new Shape(positions.length, 1, 1, keys));
  }

  /**
   * {@code [batch, 1, length, length]} for packed rows: a position sees earlier positions of the same
   * segment only. Segment 0 marks padding, which sees only itself. Built on the engine from the segment
   * ids (length² comparisons there, not in Java, and no length² array copied in).
   */
  public static NDArray packed(NDManager manager, int[][] segments) {
    int batch = segments.length;
    int length = segments[0].length;
    int[] flat = new int[batch * length];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(segments[b], 0, flat, b * length, length);
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray ids = scratch.create(flat, new Shape(batch, 1, length));
      NDArray queries = ids.reshape(batch, 1, length, 1);
      NDArray keys = ids.reshape(batch, 1, 1, length);
      NDArray position = scratch.arange(length);
      NDArray queryPosition = position.reshape(length, 1);
      NDArray keyPosition = position.reshape(1, length);
      NDArray visible = queries.eq(keys).logicalAnd(keyPosition.lte(queryPosition))
          .logicalAnd(queries.neq(scratch.create(0)).logicalOr(keyPosition.eq(queryPosition)));
      // visible 1 -> 0, blocked 0 -> BLOCKED (DJL's where does not broadcast).
      NDArray bias = visible.toType(DataType.FLOAT32, false).sub(scratch.create(1f)).mul(scratch.create(-BLOCKED));
      bias.attach(manager);
      return bias;
    }
  }
}
