package dev.crucible.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.LoraStepFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model on a GPU (run with {@code mvn -Pgpu verify} on a machine with one; the default build leaves
 * this class out): the engine sees the GPU, managers place arrays there by default, the logits match the
 * CPU's, and a LoRA step trains there.
 */
@Tag("gpu")
class GpuPlacementTest {
  @TempDir Path temp;

  @Test
  void theEngineSeesAGpuAndArraysGoThereByDefault() {
    assertThat(Engine.getInstance().getGpuCount()).as("GPUs the PyTorch engine sees").isPositive();
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThat(manager.getDevice().isGpu()).isTrue();
    }
  }

  @Test
  void logitsOnTheGpuMatchTheCpu() {
    Qwen2Config config = TinyModels.config(97);
    long[] ids = {5, 90, 13, 2, 77, 31, 0, 64};
    float[] cpu = logits(config, ids, Device.cpu());
    float[] gpu = logits(config, ids, Device.gpu());
    float worst = 0;
    for (int i = 0; i < cpu.length; i++) {
      worst = Math.max(worst, Math.abs(cpu[i] - gpu[i]));
    }
    assertThat(worst).isLessThan(1e-4f);
  }

  @Test
  void aLoraStepTrainsOnTheGpu() throws Exception {
    try (ChatTokenizer tokenizer = TinyModels.tokenizer(); NDManager manager = NDManager.newBaseManager(Device.gpu());
        Qwen2Model model = Qwen2Model.random(TinyModels.config(tokenizer.vocabularySize()), 3, manager)) {
      assertThat(model.parameters().get(ParameterLayout.EMBEDDINGS).getDevice().isGpu()).isTrue();
      Path merged = LoraStepFixture.oneLoraStep(model, tokenizer, "random", temp.resolve("lora"));
      assertThat(Files.exists(merged.resolve(Qwen2Config.FILE_NAME))).isTrue();
    }
  }

  private static float[] logits(Qwen2Config config, long[] ids, Device device) {
    try (NDManager manager = NDManager.newBaseManager(device); Qwen2Model model = Qwen2Model.random(config, 11, manager)) {
      long[] positions = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        positions[i] = i;
      }
      NDArray logits = model.forward(manager.create(ids, new Shape(1, ids.length)), manager.create(positions, new Shape(1, ids.length)),
          AttentionBias.causal(manager, 0, ids.length), null);
      return logits.toFloatArray();
    }
  }
}
