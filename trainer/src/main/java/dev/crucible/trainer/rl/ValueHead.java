package dev.crucible.trainer.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.crucible.trainer.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PPO's critic: a linear map from the policy model's final hidden state at each position to the value
 * of the state before the next token, sharing the policy's trunk (as TRL's value-head models do). It
 * lives beside a policy's weights as {@code value_head.safetensors}, which Hugging Face loaders ignore.
 */
public final class ValueHead implements AutoCloseable {
  public static final String FILE = "value_head.safetensors";
  static final String WEIGHT = "value_head.weight";
  static final String BIAS = "value_head.bias";

  private final NDManager manager;
  private final Map<String, NDArray> parameters;

  private ValueHead(NDManager manager, Map<String, NDArray> parameters) {
    this.manager = manager;
    this.parameters = parameters;
  }

  /** A head that starts at value 0 everywhere (zero weight and bias), so the first advantages are the returns. */
  public static ValueHead zeros(int hiddenSize, NDManager parent) {
    NDManager manager = parent.newSubManager();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    parameters.put(WEIGHT, manager.zeros(new Shape(1, hiddenSize)));
    parameters.put(BIAS, manager.zeros(new Shape(1)));
    return new ValueHead(manager, parameters);
  }

  /** The head stored in the policy directory {@code dir}. */
  public static ValueHead load(Path dir, int hiddenSize, NDManager parent) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(dir + " has no " + FILE + "; PPO needs a policy written by train ppo");
    }
    ValueHead head = zeros(hiddenSize, parent);
    try (NDManager scratch = parent.newSubManager()) {
      SafeTensors.copyInto(head.parameters, SafeTensors.read(file, scratch), file.toString());
    }
    return head;
  }

  public void save(Path dir) {
    SafeTensors.write(dir.resolve(FILE), parameters);
  }

  /** The trainable arrays, named as stored. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /** Values {@code [batch, length]} for hidden states {@code [batch, length, hidden]}. */
  public NDArray values(NDArray hidden) {
    return Linear.linear(hidden, parameters.get(WEIGHT), parameters.get(BIAS)).singletonOrThrow().squeeze(-1);
  }

  @Override
  public void close() {
    manager.close();
  }
}
