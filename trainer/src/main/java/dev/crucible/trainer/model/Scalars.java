package dev.crucible.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands that autograd can keep. DJL's {@code NDArray.mul(Number)}, {@code div(Number)},
 * {@code pow(Number)}, {@code maximum(Number)} and {@code minimum(Number)} wrap the number in a tensor over a
 * JVM direct buffer and close it at once; PyTorch saves that tensor for the backward pass without owning
 * its memory, so after a garbage collection the backward pass reads freed memory (NaN gradients with a
 * finite loss, seen in RL runs). A tensor made by {@code full} lives in PyTorch's own memory. {@code
 * NoNumberOperandsTest} refuses those DJL methods in this module.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code value} as a 0-d tensor of {@code like}'s type, on its manager, in memory PyTorch owns. */
  public static NDArray like(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }

  /** {@code x * factor}; the operand's handle is closed, its memory stays with autograd as long as it needs it. */
  public static NDArray times(NDArray x, double factor) {
    try (NDArray operand = like(x, factor)) {
      return x.mul(operand);
    }
  }

  /** {@code x / divisor}, the operand handled as in {@link #times}. */
  public static NDArray over(NDArray x, double divisor) {
    try (NDArray operand = like(x, divisor)) {
      return x.div(operand);
    }
  }
}
