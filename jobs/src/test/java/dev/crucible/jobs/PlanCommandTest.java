package dev.crucible.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.train.MemoryPlan;
import dev.crucible.trainer.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  @TempDir Path temp;

  @Test
  void plansQwen14BWithLoraOnOne80GigabyteGpuFromItsConfigAlone() throws Exception {
    Files.writeString(temp.resolve("config.json"), """
        {"vocab_size": 152064, "hidden_size": 5120, "intermediate_size": 13824, "num_hidden_layers": 48,
         "num_attention_heads": 40, "num_key_value_heads": 8, "max_position_embeddings": 131072, "rms_norm_eps": 1e-06,
         "rope_theta": 1000000.0, "tie_word_embeddings": false, "bos_token_id": 151643, "eos_token_id": 151645,
         "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}}
        """);
    Cli.Result result = Cli.run("plan", "--model", temp.resolve("config.json").toString(), "--lora-rank", "16",
        "--precision", "BF16_MIXED", "--memory-gib", "74.5", "--sequence-length", "4096");
    assertThat(result.exitCode()).as(result.err()).isZero();
    Qwen2Config config = Qwen2Config.read(temp);
    TrainSettings.Lora lora = new TrainSettings.Lora(16, 32, List.of("q_proj", "v_proj"));
    MemoryPlan.Step step = new MemoryPlan.Step(config, lora, MemoryPlan.Precision.BF16_MIXED, MemoryPlan.Head.LOG_PROBS, 1, false);
    MemoryPlan plan = MemoryPlan.of(step, 4096);
    int longest = MemoryPlan.longestSequence(step, (long) (74.5 * (1L << 30)));
    assertThat(result.out())
        .contains("12,582,912 of 14,770,033,664 parameters train")
        .contains("total          " + MemoryPlan.gib(plan.totalBytes()))
        .contains("does not fit; the longest sequence that fits at batch size 1 is " + String.format("%,d", longest) + " tokens");
    assertThat(longest).isBetween(1, 4095);
  }
}
