package dev.crucible.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class AttentionBiasTest {
  private static final float B = -1e9f;

  @Test
  void packedRowsSeeEarlierPositionsOfTheirOwnSegmentAndPaddingSeesItself() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray bias = AttentionBias.packed(manager, new int[][] {{1, 1, 2, 0}, {3, 3, 3, 3}});
      assertThat(bias.getShape()).isEqualTo(new Shape(2, 1, 4, 4));
      assertThat(bias.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(bias.toFloatArray()).containsExactly(
          0, B, B, B,
          0, 0, B, B,
          B, B, 0, B,
          B, B, B, 0,

          0, B, B, B,
          0, 0, B, B,
          0, 0, 0, B,
          0, 0, 0, 0);
    }
  }

  @Test
  void causalAndDecodingMasksBlockLaterKeys() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThat(AttentionBias.causal(manager, 1, 2).toFloatArray()).containsExactly(0, 0, B, 0, 0, 0);
      assertThat(AttentionBias.decoding(manager, new int[] {0, 2}).toFloatArray()).containsExactly(0, B, B, 0, 0, 0);
    }
  }
}
