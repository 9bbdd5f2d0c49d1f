package dev.crucible.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradients autograd left on the parameters. DJL's {@code optClipGrad} clips each value from above
 * only, so global-norm clipping is done here. Handles from {@code getGradient()} must be closed, and
 * gradients add up across backward passes until zeroed.
 */
public final class Gradients implements AutoCloseable {
  private final Map<String, NDArray> byName = new LinkedHashMap<>();

  private Gradients() {}

  /** Opens a handle on the gradient of every parameter. */
  public static Gradients of(Map<String, NDArray> parameters) {
    Gradients gradients = new Gradients();
    parameters.forEach((name, parameter) -> gradients.byName.put(name, parameter.getGradient()));
    return gradients;
  }

  public Map<String, NDArray> byName() {
    return byName;
  }

  /**
   * The L2 norm of all gradients as one vector, summed on the engine and read once: one host sync for the
   * whole model rather than one per parameter, which on a GPU would each wait for the device.
   */
  public double globalNorm() {
    if (byName.isEmpty()) {
      return 0;
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDList squares = new NDList(byName.size());
      byName.values().forEach(gradient -> squares.add(gradient.square().sum()));
      return Math.sqrt(NDArrays.stack(squares).sum().toType(DataType.FLOAT64, false).getDouble());
    }
  }

  /** The factor that brings a gradient of norm {@code norm} down to {@code maxNorm}; 1 when already under. */
  public static double clipScale(double norm, double maxNorm) {
    return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1.0;
  }

  /** Sets every gradient to zero, ready for the next step's backward passes. */
  public void zero() {
    byName.values().forEach(gradient -> gradient.subi(gradient));
  }

  @Override
  public void close() {
    byName.values().forEach(NDArray::close);
  }
}
