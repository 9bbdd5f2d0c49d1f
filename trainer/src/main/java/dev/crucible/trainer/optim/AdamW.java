package dev.crucible.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.crucible.trainer.model.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), with its moments kept here so a checkpoint
 * can save and restore them exactly. Weight decay applies to matrices only, not to norms and biases.
 */
public final class AdamW implements AutoCloseable {
  private static final String FIRST = "exp_avg.";
  private static final String SECOND = "exp_avg_sq.";

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long steps;

  public AdamW(double beta1, double beta2, double epsilon, double weightDecay, NDManager parent) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.manager = parent.newSubManager();
  }

  public long steps() {
    return steps;
  }

  /**
   * One update of every parameter in place.
   *
   * @param gradients the gradient of each parameter, by the same name
   * @param gradientScale multiplies every gradient first (global-norm clipping)
   */
  public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double learningRate, double gradientScale) {
    steps++;
    double firstCorrection = 1 - Math.pow(beta1, steps);
    double secondCorrection = 1 - Math.pow(beta2, steps);
    for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
      String name = entry.getKey();
      NDArray weight = entry.getValue();
      NDArray first = firstMoments.computeIfAbsent(name, n -> manager.zeros(weight.getShape()));
      NDArray second = secondMoments.computeIfAbsent(name, n -> manager.zeros(weight.getShape()));
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray gradient = Scalars.times(gradients.get(name), gradientScale);
        first.muli(Scalars.like(first, beta1)).addi(Scalars.times(gradient, 1 - beta1));
        second.muli(Scalars.like(second, beta2)).addi(Scalars.times(gradient.square(), 1 - beta2));
        NDArray denominator = Scalars.over(second, secondCorrection).sqrt().add(epsilon);
        NDArray step = Scalars.over(first, firstCorrection).div(denominator);
        if (weightDecay > 0 && weight.getShape().dimension() > 1) {
          step = step.add(Scalars.times(weight, weightDecay));
        }
        weight.subi(Scalars.times(step, learningRate));
      }
    }
  }

  /** The moments, named {@code exp_avg.<parameter>} and {@code exp_avg_sq.<parameter>} as PyTorch names them. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    firstMoments.forEach((name, array) -> state.put(FIRST + name, array));
    secondMoments.forEach((name, array) -> state.put(SECOND + name, array));
    return state;
  }

  /** Restores moments written by {@link #state()} after {@code steps} updates. */
  public void restore(Map<String, NDArray> state, long steps) {
    for (Map.Entry<String, NDArray> entry : state.entrySet()) {
      String key = entry.getKey();
      NDArray copy = entry.getValue().duplicate();
      copy.attach(manager);
      if (key.startsWith(FIRST)) {
        firstMoments.put(key.substring(FIRST.length()), copy);
      } else if (key.startsWith(SECOND)) {
        secondMoments.put(key.substring(SECOND.length()), copy);
      } else {
        throw new IllegalArgumentException("optimizer state has an unknown tensor " + key);
      }
    }
    this.steps = steps;
  }

  @Override
  public void close() {
    manager.close();
  }
}
