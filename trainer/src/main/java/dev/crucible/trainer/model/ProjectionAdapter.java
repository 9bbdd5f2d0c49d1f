package dev.crucible.trainer.model;

import ai.djl.ndarray.NDArray;

/** Adds a trainable term to some of the model's linear projections (LoRA); none by default. */
public interface ProjectionAdapter {

  /**
   * What to add to the output of projection {@code name} (for example
   * {@code model.layers.0.self_attn.q_proj}) for input {@code x}, or {@code null} to add nothing.
   */
  NDArray delta(String name, NDArray x);
}
