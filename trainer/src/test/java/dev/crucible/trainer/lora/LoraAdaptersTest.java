package dev.crucible.trainer.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.crucible.data.InvalidInputException;
import dev.crucible.trainer.chat.ChatModel;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adapters saved as PEFT does and loaded back merged, on a tiny random model. */
class LoraAdaptersTest {
  private static final String Q = "model.layers.0.self_attn.q_proj.weight";
  private static final String K = "model.layers.0.self_attn.k_proj.weight";
  @TempDir Path temp;

  private Path base(NDManager manager) {
    Path base = temp.resolve("base");
    try (ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      Qwen2Model.random(new Qwen2Config(tokenizer.vocabularySize(), 8, 16, 1, 2, 1, 256, 1e-6, 10000, true, 0, 0), 5, manager)
          .save(base, Long.MAX_VALUE);
      tokenizer.save(base);
    }
    return base;
  }

  @Test
  void aSavedAdapterLoadsMergedAsBaseWeightPlusScaledProductWorkedByHand() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Path base = base(manager);
      Path adapterDir = temp.resolve("adapter");
      try (Qwen2Model model = Qwen2Model.load(base, manager); LoraAdapters adapters = new LoraAdapters(model, 1, 2.0, List.of("q_proj"), 0)) {
        // Rank 1, alpha 2: scale 2. A all ones [1, 8], B all 0.5 [8, 1]: the delta is 2 * 0.5 * 1 = 1 everywhere.
        adapters.parameters().forEach((name, array) -> array.set(manager.full(array.getShape(), name.contains("lora_A") ? 1f : 0.5f).toFloatArray()));
        adapters.save(adapterDir, base.toString());
      }
      assertThat(AdapterConfig.isAdapter(adapterDir)).isTrue();
      assertThat(AdapterConfig.read(adapterDir)).isEqualTo(new AdapterConfig(1, 2.0, List.of("q_proj"), base.toString()));
      try (Qwen2Model plain = Qwen2Model.load(base, manager); Qwen2Model merged = LoraAdapters.loadMerged(base, adapterDir, manager)) {
        float[] before = plain.parameters().get(Q).toFloatArray();
        float[] after = merged.parameters().get(Q).toFloatArray();
        for (int i = 0; i < before.length; i++) {
          assertThat(after[i]).isEqualTo(before[i] + 1f, org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(merged.parameters().get(K).toFloatArray()).as("k_proj is not a target").isEqualTo(plain.parameters().get(K).toFloatArray());
      }
    }
  }

  @Test
  void aChatModelLoadsAnAdapterDirectoryOnTheBaseItNamesOrOnTheBaseItIsGiven() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Path base = base(manager);
      Path adapterDir = temp.resolve("adapter");
      try (Qwen2Model model = Qwen2Model.load(base, manager); LoraAdapters adapters = new LoraAdapters(model, 2, 4.0, List.of("q_proj", "v_proj"), 1)) {
        adapters.save(adapterDir, base.toAbsolutePath().toString()); // No tokenizer: the base's is used.
      }
      try (ChatModel named = ChatModel.load(adapterDir); ChatModel given = ChatModel.withAdapter(base, adapterDir)) {
        assertThat(named.checkpoint()).isEqualTo(adapterDir);
        assertThat(given.tokenText(42)).isEqualTo(named.tokenText(42));
      }
      assertThatThrownBy(() -> ChatModel.withAdapter(base, base)).hasMessageContaining("not a LoRA adapter");

      Path orphan = temp.resolve("orphan");
      try (Qwen2Model model = Qwen2Model.load(base, manager); LoraAdapters adapters = new LoraAdapters(model, 2, 4.0, List.of("q_proj"), 1)) {
        adapters.save(orphan, "random");
      }
      assertThatThrownBy(() -> ChatModel.load(orphan)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(orphan.resolve(AdapterConfig.FILE).toString()).hasMessageContaining("base_model_name_or_path")
          .hasMessageContaining("/v1/load_lora_adapter");
      try (ChatModel served = ChatModel.withAdapter(base, orphan)) {
        assertThat(served.checkpoint()).isEqualTo(orphan);
      }
    }
  }

  @Test
  void aMalformedAdapterConfigNamesEachBadField() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("bad"));
    Files.writeString(dir.resolve(AdapterConfig.FILE), "{\"peft_type\": \"IA3\", \"r\": 0, \"lora_alpha\": 16}");
    assertThatThrownBy(() -> AdapterConfig.read(dir)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(dir.resolve(AdapterConfig.FILE).toString())
        .satisfies(e -> assertThat(((InvalidInputException) e).problems()).extracting(dev.crucible.data.InputProblem::field)
            .containsExactly("peft_type", "r", "target_modules"));
  }
}
