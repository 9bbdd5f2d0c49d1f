package dev.crucible.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.generate.Generation;
import dev.crucible.trainer.generate.GenerationEngine;
import dev.crucible.trainer.generate.SamplingOptions;
import dev.crucible.trainer.io.StorageType;
import dev.crucible.trainer.io.WeightFiles;
import dev.crucible.trainer.lora.AdapterConfig;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.LoraStepFixture;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint with Qwen2.5-Coder-14B's shapes (vocabulary 152,064, hidden 5,120, intermediate 13,824, 40
 * heads over 8 key-value heads, YaRN to 131,072 positions) but one layer and the head tied to the
 * embeddings (14B's own head is a second tensor of the same shape), written as transformers writes
 * bfloat16 checkpoints: the embeddings are 3.1 GB once widened to float32, past the 2 GiB a Java buffer
 * holds. It loads, generates, takes one LoRA step and saves, in BF16 as it came.
 */
class FourteenBShapedCheckpointTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path temp;

  static Qwen2Config fourteenBShaped() {
    RopeScaling yarn = new RopeScaling(RopeScaling.Type.YARN, 4.0, 32768, null, 32, 1, null, null, true);
    return new Qwen2Config(152_064, 5_120, 13_824, 1, 40, 8, 131_072, 1e-6, 1_000_000.0, true, 151_643, 151_645, yarn);
  }

  @Test
  void aFourteenBShapedBfloat16CheckpointLoadsGeneratesTakesALoraStepAndSavesAsItCame() throws Exception {
    Qwen2Config config = fourteenBShaped();
    Path checkpoint = temp.resolve("qwen14b-shaped");
    try (ChatTokenizer tokenizer = TinyModels.tokenizer()) {
      writeBfloat16(checkpoint, config, tokenizer.vocabularySize());
      tokenizer.save(checkpoint);
      assertThat(Files.size(checkpoint.resolve(WeightFiles.SINGLE))).isGreaterThan(1_950_000_000L);

      try (NDManager manager = NDManager.newBaseManager(); Qwen2Model model = Qwen2Model.load(checkpoint, manager)) {
        assertThat(model.storage()).isEqualTo(StorageType.BF16);
        assertThat(model.parameters().get(ParameterLayout.EMBEDDINGS).getShape()).isEqualTo(new Shape(152_064, 5_120));
        // A row past 2 GiB of float32 came through whole.
        long row = 120_000;
        float[] farRow = model.parameters().get(ParameterLayout.EMBEDDINGS).get(String.valueOf(row)).toFloatArray();
        assertThat(farRow[5_119]).isEqualTo(row < tokenizer.vocabularySize() ? expectedValue(ParameterLayout.EMBEDDINGS, row * 5_120 + 5_119) : 0f);
        int lastKept = tokenizer.vocabularySize() - 1;
        assertThat(model.parameters().get(ParameterLayout.EMBEDDINGS).get(String.valueOf(lastKept)).toFloatArray()[7])
            .isEqualTo(expectedValue(ParameterLayout.EMBEDDINGS, lastKept * 5_120L + 7));

        try (GenerationEngine engine = new GenerationEngine(model, tokenizer, 1, 64)) {
          Generation generated = engine.generate(tokenizer.encode("def add(a, b):"),
              SamplingOptions.greedy(4));
          assertThat(generated.tokenIds()).hasSize(4).allSatisfy(id -> assertThat(id).isBetween(0, tokenizer.vocabularySize() - 1));
        }

        // One step: the adapters checkpointed at it, then merged into the weights, which are saved in BF16.
        Path saved = LoraStepFixture.oneLoraStep(model, tokenizer, checkpoint.toString(), temp.resolve("lora"));
        try (var steps = Files.list(temp.resolve("lora/checkpoints"))) {
          assertThat(steps.toList()).singleElement().satisfies(step -> assertThat(AdapterConfig.isAdapter(step)).isTrue());
        }
        assertThat(MAPPER.readTree(saved.resolve(Qwen2Config.FILE_NAME).toFile()).path("torch_dtype").asText()).isEqualTo("bfloat16");
        assertThat(WeightFiles.storage(saved)).isEqualTo(StorageType.BF16);
        assertThat(Qwen2Config.read(saved)).isEqualTo(config);
      }
    }
  }

  /** The value the synthetic checkpoint holds at {@code index} of tensor {@code name}, as bfloat16 widened. */
  private static float expectedValue(String name, long index) {
    return Float.intBitsToFloat((bfloat16(name, index) & 0xffff) << 16);
  }

  /**
   * Writes a bfloat16 safetensors checkpoint of {@code config}'s layout, streamed: norms 1, biases 0, the
   * rest small values from a hash of name and position; embedding rows past {@code vocabulary} (the test
   * tokenizer's size, which never reads them) are 0, so the tied head scores them 0 and greedy decoding
   * picks tokens the tokenizer can write.
   */
  private static void writeBfloat16(Path dir, Qwen2Config config, int vocabulary) throws IOException {
    config.write(dir, "bfloat16");
    Map<String, Shape> layout = ParameterLayout.of(config);
    ObjectNode header = MAPPER.createObjectNode();
    long offset = 0;
    for (Map.Entry<String, Shape> entry : layout.entrySet()) {
      long bytes = entry.getValue().size() * 2;
      ObjectNode tensor = header.putObject(entry.getKey()).put("dtype", "BF16");
      for (long dim : entry.getValue().getShape()) {
        tensor.withArray("shape").add(dim);
      }
      tensor.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = MAPPER.writeValueAsBytes(header);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(WeightFiles.SINGLE)), 1 << 22)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      out.write(json);
      byte[] chunk = new byte[1 << 22];
      for (Map.Entry<String, Shape> entry : layout.entrySet()) {
        String name = entry.getKey();
        long size = entry.getValue().size();
        long columns = entry.getValue().get(entry.getValue().dimension() - 1);
        int filled = 0;
        for (long i = 0; i < size; i++) {
          short value;
          if (name.endsWith("norm.weight")) {
            value = 0x3f80;
          } else if (name.endsWith(".bias") || name.equals(ParameterLayout.EMBEDDINGS) && i / columns >= vocabulary) {
            value = 0;
          } else {
            value = bfloat16(name, i);
          }
          chunk[filled++] = (byte) value;
          chunk[filled++] = (byte) (value >>> 8);
          if (filled == chunk.length) {
            out.write(chunk, 0, filled);
            filled = 0;
          }
        }
        out.write(chunk, 0, filled);
      }
    }
  }

  /** A bfloat16 in about ±0.03 from a hash of the tensor's name and the element's index (SplitMix64's finalizer). */
  private static short bfloat16(String name, long index) {
    long z = index * 0x9E3779B97F4A7C15L + name.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    float value = ((z >>> 40) / (float) (1L << 24) - 0.5f) * 0.06f;
    return (short) (Float.floatToRawIntBits(value) >>> 16);
  }
}
