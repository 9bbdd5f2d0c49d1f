package dev.crucible.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values for up to {@code rows} sequences of up to {@code length} positions each, held per
 * layer as one {@code [rows, kv heads, positions, head size]} array written in place, so a decoding step
 * copies only its new positions. The arrays start short and double when {@link #reserve} asks for more,
 * so a model with a long context pays only for the positions used. A forward pass works on a
 * {@link Window}: consecutive rows, each continuing at its own position.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int rows;
  private final int length;
  private final Shape rowShape; // [kv heads, head size]: the dimensions around the positions
  private int allocated;

  public KvCache(NDManager parent, Qwen2Config config, int rows, int length) {
    if (rows < 1 || length < 1) {
      throw new IllegalArgumentException("a cache needs at least one row and one position, not " + rows + " x " + length);
    }
    this.manager = parent.newSubManager();
    this.rows = rows;
    this.length = length;
    this.rowShape = new Shape(config.numKeyValueHeads(), config.headDim());
    keys = new NDArray[config.numHiddenLayers()];
    values = new NDArray[config.numHiddenLayers()];
    reserve(Math.min(length, INITIAL_POSITIONS));
  }

  private static final int INITIAL_POSITIONS = 512;

  public int rows() {
    return rows;
  }

  /** Positions each row holds at most. */
  public int length() {
    return length;
  }

  /**
   * The rows {@code firstRow, firstRow + 1, ...} for one forward pass, whose batch row {@code i} writes
   * its new positions from {@code starts[i]} on and attends to everything its row holds before them.
   */
  public Window window(int firstRow, int[] starts) {
    if (firstRow < 0 || firstRow + starts.length > rows) {
      throw new IllegalArgumentException("rows " + firstRow + ".." + (firstRow + starts.length - 1) + " outside a cache of " + rows);
    }
    return new Window(firstRow, starts.clone());
  }

  /** Makes room for {@code positions} positions in every row, doubling the arrays as needed. */
  public void reserve(int positions) {
    if (positions > length) {
      throw new IllegalArgumentException(positions + " positions do not fit a cache of " + length);
    }
    if (positions <= allocated) {
      return;
    }
    int grown = Math.min(length, Math.max(positions, allocated * 2));
    Shape shape = new Shape(rows, rowShape.get(0), grown, rowShape.get(1));
    NDIndex kept = new NDIndex(":, :, :{}, :", allocated);
    for (int layer = 0; layer < keys.length; layer++) {
      keys[layer] = grown(keys[layer], shape, kept);
      values[layer] = grown(values[layer], shape, kept);
    }
    allocated = grown;
  }

  private NDArray grown(NDArray old, Shape shape, NDIndex kept) {
    NDArray array = manager.zeros(shape);
    NDScope.unregister(array); // The cache outlives the step that made it grow.
    if (old != null) {
      array.set(kept, old);
      old.close();
    }
    return array;
  }

  /** Copies the first {@code positions} positions of row {@code from} into row {@code to}. */
  public void copyRow(int from, int to, int positions) {
    if (positions == 0 || from == to) {
      return;
    }
    NDIndex source = new NDIndex("{}, :, :{}, :", from, positions);
    NDIndex target = new NDIndex("{}, :, :{}, :", to, positions);
    for (int layer = 0; layer < keys.length; layer++) {
      try (NDArray k = keys[layer].get(source); NDArray v = values[layer].get(source)) {
        keys[layer].set(target, k);
        values[layer].set(target, v);
      }
    }
  }

  /** A copy of the first {@code positions} positions of {@code row}, kept until it is closed. */
  public Snapshot save(int row, int positions) {
    NDIndex saved = new NDIndex("{}, :, :{}, :", row, positions);
    NDArray[] savedKeys = new NDArray[keys.length];
    NDArray[] savedValues = new NDArray[keys.length];
    for (int layer = 0; layer < keys.length; layer++) {
      savedKeys[layer] = copy(keys[layer], saved);
      savedValues[layer] = copy(values[layer], saved);
    }
    return new Snapshot(positions, savedKeys, savedValues);
  }

  private static NDArray copy(NDArray array, NDIndex index) {
    try (NDArray view = array.get(index)) {
      NDArray copy = view.duplicate();
      NDScope.unregister(copy); // Outlives the step that saved it.
      return copy;
    }
  }

  /** Writes the first {@code positions} positions of {@code snapshot} into {@code row}. */
  public void load(Snapshot snapshot, int row, int positions) {
    if (positions > snapshot.positions || positions > allocated) {
      throw new IllegalArgumentException(positions + " positions asked of a snapshot of " + snapshot.positions
          + " into rows of " + allocated);
    }
    NDIndex source = new NDIndex(":, :{}, :", positions);
    NDIndex target = new NDIndex("{}, :, :{}, :", row, positions);
    for (int layer = 0; layer < keys.length; layer++) {
      try (NDArray k = snapshot.keys[layer].get(source); NDArray v = snapshot.values[layer].get(source)) {
        keys[layer].set(target, k);
        values[layer].set(target, v);
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  /** The keys and values of a row's first positions, per layer {@code [kv heads, positions, head size]}. */
  public static final class Snapshot implements AutoCloseable {
    private final int positions;
    private final NDArray[] keys;
    private final NDArray[] values;

    private Snapshot(int positions, NDArray[] keys, NDArray[] values) {
      this.positions = positions;
      this.keys = keys;
      this.values = values;
    }

    public int positions() {
      return positions;
    }

    @Override
    public void close() {
      for (int layer = 0; layer < keys.length; layer++) {
        keys[layer].close();
        values[layer].close();
      }
    }
  }

  /** Consecutive rows of the cache as one forward pass sees them. */
  public final class Window {
    private final int firstRow;
    private final int[] starts;

    private Window(int firstRow, int[] starts) {
      this.firstRow = firstRow;
      this.starts = starts;
    }

    /**
     * Writes this pass's keys and values of {@code layer} ({@code [batch, kv heads, new positions, head
     * size]}) after each row's start, and returns the rows' keys and values up to the furthest written
     * position. Positions past a row's own end are stale or zero; the attention bias must hide them.
     */
    NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
      int added = Math.toIntExact(newKeys.getShape().get(2));
      int visible = 0;
      for (int i = 0; i < starts.length; i++) {
        int end = starts[i] + added;
        if (end > allocated) {
          throw new IllegalStateException("row " + (firstRow + i) + " would hold " + end + " positions; "
              + allocated + " are reserved");
        }
        NDIndex target = new NDIndex("{}, :, {}:{}, :", firstRow + i, starts[i], end);
        keys[layer].set(target, newKeys.get(i));
        values[layer].set(target, newValues.get(i));
        visible = Math.max(visible, end);
      }
      NDIndex rowsSoFar = new NDIndex("{}:{}, :, :{}, :", firstRow, firstRow + starts.length, visible);
      return new NDArray[] {keys[layer].get(rowsSoFar), values[layer].get(rowsSoFar)};
    }
  }
}
