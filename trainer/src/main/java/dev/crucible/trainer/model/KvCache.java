package dev.crucible.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of the positions generated so far, per layer, shaped {@code [batch, kv heads,
 * positions, head size]}. The arrays outlive the {@link NDScope} of each step; closing the cache frees them.
 */
public final class KvCache implements AutoCloseable {
  private final NDArray[] keys;
  private final NDArray[] values;

  public KvCache(int layers) {
    keys = new NDArray[layers];
    values = new NDArray[layers];
  }

  /** Positions cached. */
  public long length() {
    return keys[0] == null ? 0 : keys[0].getShape().get(2);
  }

  /** Appends this step's keys and values of {@code layer}; returns all of them, the new ones last. */
  NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
    NDArray allKeys = keys[layer] == null ? newKeys : keys[layer].concat(newKeys, 2);
    NDArray allValues = values[layer] == null ? newValues : values[layer].concat(newValues, 2);
    NDScope.unregister(allKeys, allValues);
    closeLayer(layer);
    keys[layer] = allKeys;
    values[layer] = allValues;
    return new NDArray[] {allKeys, allValues};
  }

  private void closeLayer(int layer) {
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < keys.length; i++) {
      closeLayer(i);
      keys[i] = null;
      values[i] = null;
    }
  }
}
