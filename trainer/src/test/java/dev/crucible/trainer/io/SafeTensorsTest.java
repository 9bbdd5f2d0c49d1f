package dev.crucible.trainer.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.crucible.data.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  /** A file laid out by hand as the format describes, the way transformers writes bfloat16 checkpoints. */
  private static byte[] handWritten(String dtype, short[] values, String shape) {
    String header = "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[0," + values.length * 2 + "]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json);
    for (short v : values) {
      out.putShort(v);
    }
    return out.array();
  }

  @Test
  void widensBfloat16AndFloat16(@TempDir Path dir) throws Exception {
    // bfloat16: 0x3FC0 = 1.5, 0xC010 = -2.25; float16: 0x3E00 = 1.5, 0xC080 = -2.25, 0x0001 = 2^-24.
    Files.write(dir.resolve("b.safetensors"), handWritten("BF16", new short[] {0x3FC0, (short) 0xC010}, "[2]"));
    Files.write(dir.resolve("h.safetensors"), handWritten("F16", new short[] {0x3E00, (short) 0xC080, 0x0001}, "[1,3]"));
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(SafeTensors.read(dir.resolve("b.safetensors"), m).get("w").toFloatArray()).containsExactly(1.5f, -2.25f);
      NDArray half = SafeTensors.read(dir.resolve("h.safetensors"), m).get("w");
      assertThat(half.getShape()).isEqualTo(new Shape(1, 3));
      assertThat(half.toFloatArray()).containsExactly(1.5f, -2.25f, (float) Math.pow(2, -24));
    }
  }

  @Test
  void writesWhatItReadsInOrderWithAnAlignedHeader(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path file = dir.resolve("x.safetensors");
      SafeTensors.write(file, Map.of("a.weight", m.create(new float[][] {{1, 2}, {3, 4}})));
      assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong() % 8).isZero();
      NDArray back = SafeTensors.read(file, m).get("a.weight");
      assertThat(back.getShape()).isEqualTo(new Shape(2, 2));
      assertThat(back.toFloatArray()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void rejectsOffsetsThatDoNotMatchTheShape(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("bad.safetensors"), handWritten("BF16", new short[] {1, 2}, "[3]"));
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> SafeTensors.read(dir.resolve("bad.safetensors"), m))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("bad.safetensors")
          .hasMessageContaining("tensor w: data_offsets [0, 4] do not match shape (3) of BF16");
    }
  }

  @Test
  void tensorsGoInAndOutARunOfRowsAtATimeInTheTypeAsked(@TempDir Path dir) throws Exception {
    float[] values = new float[30];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(i) * 1000;
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray tensor = m.create(values, new Shape(10, 3));
      for (StorageType storage : StorageType.values()) {
        Path file = dir.resolve(storage + ".safetensors");
        // A chunk of 24 bytes is two rows of three floats: five runs each way.
        SafeTensors.write(file, Map.of("w", tensor), storage, 24);
        assertThat(Files.size(file) - 8 - ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong())
            .isEqualTo(30L * storage.width());
        assertThat(SafeTensors.storageTypes(file)).containsExactly(Map.entry("w", storage));
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          expected[i] = switch (storage) {
            case F32 -> values[i];
            case BF16 -> HalfFloats.fromBfloat16(HalfFloats.toBfloat16(values[i]));
            case F16 -> HalfFloats.toFloat(HalfFloats.toHalf(values[i]));
          };
        }
        NDArray chunked = SafeTensors.read(file, m, 24).get("w");
        assertThat(chunked.getShape()).isEqualTo(new Shape(10, 3));
        assertThat(chunked.toFloatArray()).containsExactly(expected);
        assertThat(SafeTensors.read(file, m).get("w").toFloatArray()).as("in one run").containsExactly(expected);
      }
    }
  }
}
