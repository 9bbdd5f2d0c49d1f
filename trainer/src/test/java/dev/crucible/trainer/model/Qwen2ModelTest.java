package dev.crucible.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.crucible.data.InvalidInputException;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.io.WeightFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Qwen2ModelTest {
  private static NDManager manager;
  private static Qwen2Model model;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
    model = Qwen2Model.random(TinyModels.config(300), 7, manager);
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private float[] logits(NDManager m, long[] ids) {
    long[] positions = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      positions[i] = i;
    }
    NDArray out = model.forward(m.create(ids, new Shape(1, ids.length)), m.create(positions, new Shape(1, ids.length)),
        AttentionBias.causal(m, 0, ids.length), null);
    assertThat(out.getShape()).isEqualTo(new Shape(1, ids.length, 300));
    return out.toFloatArray();
  }

  @Test
  void laterTokensDoNotChangeEarlierLogits() {
    try (NDManager m = manager.newSubManager()) {
      float[] a = logits(m, new long[] {5, 9, 13, 2});
      float[] b = logits(m, new long[] {5, 9, 200, 150});
      for (int i = 0; i < 2 * 300; i++) {
        assertThat(b[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
      assertThat(b[3 * 300]).isNotCloseTo(a[3 * 300], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void cachedDecodingMatchesOneFullPass() {
    long[] ids = {5, 9, 13, 2, 77, 31};
    try (NDManager m = manager.newSubManager(); KvCache cache = new KvCache(m, model.config(), 1, 16)) {
      float[] full = logits(m, ids);
      float[] prefill = prefill(m, cache, 0, ids, 3);
      assertClose(prefill, 2, full, 2);
      for (int t = 3; t < ids.length; t++) {
        float[] step = model.forward(m.create(new long[] {ids[t]}, new Shape(1, 1)), m.create(new long[] {t}, new Shape(1, 1)),
            AttentionBias.causal(m, t, 1), cache.window(0, new int[] {t})).toFloatArray();
        assertClose(step, 0, full, t);
      }
    }
  }

  @Test
  void rowsOfDifferentLengthsDecodeTogetherAsEachWouldAlone() {
    long[] a = {5, 9, 13, 2, 77, 31};
    long[] b = {40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50};
    try (NDManager m = manager.newSubManager(); KvCache cache = new KvCache(m, model.config(), 3, 2048)) {
      float[] fullA = logits(m, a);
      float[] fullB = logits(m, b);
      prefill(m, cache, 1, a, 3); // Rows 1 and 2: a window need not start at row 0.
      prefill(m, cache, 2, b, 7);
      for (int s = 0; s < 3; s++) {
        int[] at = {3 + s, 7 + s};
        float[] step = model.forward(m.create(new long[] {a[at[0]], b[at[1]]}, new Shape(2, 1)),
            m.create(new long[] {at[0], at[1]}, new Shape(2, 1)), AttentionBias.decoding(m, at), cache.window(1, at)).toFloatArray();
        assertClose(step, 0, fullA, at[0]);
        assertClose(step, 1, fullB, at[1]);
      }
      // b's row moves to row 0 and the arrays grow past their first 512 positions; it decodes on unchanged.
      cache.copyRow(2, 0, 10);
      cache.reserve(1500);
      float[] moved = model.forward(m.create(new long[] {b[10]}, new Shape(1, 1)), m.create(new long[] {10}, new Shape(1, 1)),
          AttentionBias.decoding(m, new int[] {10}), cache.window(0, new int[] {10})).toFloatArray();
      assertClose(moved, 0, fullB, 10);
    }
  }

  /** Reads the first {@code count} ids into cache row {@code row}; returns their logits. */
  private float[] prefill(NDManager m, KvCache cache, int row, long[] ids, int count) {
    long[] positions = new long[count];
    for (int i = 0; i < count; i++) {
      positions[i] = i;
    }
    return model.forward(m.create(java.util.Arrays.copyOf(ids, count), new Shape(1, count)), m.create(positions, new Shape(1, count)),
        AttentionBias.causal(m, 0, count), cache.window(row, new int[] {0})).toFloatArray();
  }

  /** Row {@code row} of {@code actual} against position {@code position} of a full pass's logits. */
  private static void assertClose(float[] actual, int row, float[] full, int position) {
    for (int v = 0; v < 300; v++) {
      assertThat(actual[row * 300 + v]).as("position %d token %d", position, v)
          .isCloseTo(full[position * 300 + v], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @Test
  void packedSegmentsSeeOnlyThemselves() {
    try (NDManager m = manager.newSubManager()) {
      float[] alone = logits(m, new long[] {40, 41, 42});
      long[] packed = {7, 8, 40, 41, 42};
      NDArray out = model.forward(m.create(packed, new Shape(1, 5)), m.create(new long[] {0, 1, 0, 1, 2}, new Shape(1, 5)),
          AttentionBias.packed(m, new int[][] {{1, 1, 2, 2, 2}}), null);
      float[] values = out.toFloatArray();
      for (int i = 0; i < 3 * 300; i++) {
        assertThat(values[2 * 300 + i]).isCloseTo(alone[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void savesAndLoadsShardedCheckpointsWithHuggingFaceNames(@TempDir Path dir) throws Exception {
    model.save(dir, 20_000);
    assertThat(dir.resolve(WeightFiles.INDEX)).exists();
    assertThat(Files.readString(dir.resolve(WeightFiles.INDEX))).contains("model.layers.1.self_attn.q_proj.bias", "lm_head.weight");
    try (NDManager m = manager.newSubManager(); Qwen2Model loaded = Qwen2Model.load(dir, m)) {
      assertThat(loaded.config()).isEqualTo(model.config());
      for (var entry : model.parameters().entrySet()) {
        assertThat(loaded.parameters().get(entry.getKey()).toFloatArray()).as(entry.getKey()).isEqualTo(entry.getValue().toFloatArray());
      }
      // Loaded weights own their memory: an optimizer writes them in place, and they survive a collection.
      NDArray weight = loaded.parameters().get("model.layers.0.mlp.up_proj.weight");
      float before = weight.toFloatArray()[7];
      weight.subi(m.create(1f));
      System.gc();
      assertThat(weight.toFloatArray()[7]).isEqualTo(before - 1f);
    }
  }

  @Test
  void namesEveryMissingOrMisshapenParameter(@TempDir Path dir) throws Exception {
    model.save(dir, Long.MAX_VALUE);
    Path other = dir.resolve("other");
    Qwen2Config wider = new Qwen2Config(300, 64, 64, 2, 4, 2, 128, 1e-6, 10000.0, false, 0, 0);
    wider.write(other);
    Files.copy(dir.resolve(WeightFiles.SINGLE), other.resolve(WeightFiles.SINGLE));
    try (NDManager m = manager.newSubManager()) {
      assertThatThrownBy(() -> Qwen2Model.load(other, m))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("model.embed_tokens.weight")
          .hasMessageContaining("has shape (300, 32) but config.json calls for (300, 64)");
    }
  }
}
