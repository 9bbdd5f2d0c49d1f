package dev.crucible.trainer.io;

import java.util.Locale;

/**
 * How a checkpoint stores its floating-point tensors ({@code dtype} in a safetensors header). The model
 * computes in float32 here; a checkpoint is written back in the type it was read in.
 */
public enum StorageType {
  F32(4, "float32"),
  BF16(2, "bfloat16"),
  F16(2, "float16");

  private final int width;
  private final String torchName;

  StorageType(int width, String torchName) {
    this.width = width;
    this.torchName = torchName;
  }

  /** Bytes per element. */
  public int width() {
    return width;
  }

  /** The name {@code config.json}'s {@code torch_dtype} gives it. */
  public String torchName() {
    return torchName;
  }

  /** The type a safetensors header names {@code dtype}, or null for one that is not floating point of these widths. */
  static StorageType ofHeader(String dtype) {
    try {
      return valueOf(dtype.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
