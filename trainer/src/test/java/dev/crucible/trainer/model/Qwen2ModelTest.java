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
    try (NDManager m = manager.newSubManager(); KvCache cache = new KvCache(2)) {
      float[] full = logits(m, ids);
      NDArray prefill = model.forward(m.create(new long[] {5, 9, 13}, new Shape(1, 3)),
          m.create(new long[] {0, 1, 2}, new Shape(1, 3)), AttentionBias.causal(m, 0, 3), cache);
      assertThat(prefill.toFloatArray()[2 * 300 + 17]).isCloseTo(full[2 * 300 + 17], org.assertj.core.data.Offset.offset(1e-5f));
      for (int t = 3; t < ids.length; t++) {
        float[] step = model.forward(m.create(new long[] {ids[t]}, new Shape(1, 1)), m.create(new long[] {t}, new Shape(1, 1)),
            AttentionBias.causal(m, t, 1), cache).toFloatArray();
        for (int v = 0; v < 300; v++) {
          assertThat(step[v]).as("position %d token %d", t, v).isCloseTo(full[t * 300 + v], org.assertj.core.data.Offset.offset(1e-4f));
        }
      }
      assertThat(cache.length()).isEqualTo(ids.length);
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
