package dev.crucible.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.crucible.jobs.serve.ChatCompletionsServer;
import dev.crucible.trainer.chat.ChatModel;
import dev.crucible.trainer.lora.LoraAdapters;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ways of publishing a policy, against a real {@code crucible serve} server. */
class PolicyPublisherTest {
  @TempDir Path temp;

  @Test
  void publishesAndWithdrawsWholeCheckpointsAndLoraAdaptersOnceEach() {
    Path base = temp.resolve("base");
    Path adapter = temp.resolve("adapter");
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      Qwen2Model model = Qwen2Model.random(new Qwen2Config(tokenizer.vocabularySize(), 16, 32, 1, 2, 1, 512, 1e-6, 10000, true, 0, 0), 1, manager);
      model.save(base, Long.MAX_VALUE);
      tokenizer.save(base);
      try (LoraAdapters adapters = new LoraAdapters(model, 2, 4, List.of("q_proj"), 0)) {
        adapters.save(adapter, base.toString());
      }
    }
    try (ChatModel served = ChatModel.load(base); ChatCompletionsServer server = new ChatCompletionsServer(served, "base", "127.0.0.1", 0)) {
      String url = "http://127.0.0.1:" + server.port() + "/v1/";
      PolicyPublisher checkpoints = new PolicyPublisher(url, PolicyPublisher.Weights.CHECKPOINT);
      PolicyPublisher adapters = new PolicyPublisher(url, PolicyPublisher.Weights.LORA_ADAPTER);
      checkpoints.publish("run-policy-000000", base);
      adapters.publish("run-policy-000001", adapter);
      adapters.publish("run-policy-000001", adapter); // A resumed run publishes again: already served, nothing happens.
      assertThat(checkpoints.served()).containsExactlyInAnyOrder("base", "run-policy-000000", "run-policy-000001");
      checkpoints.withdraw("run-policy-000000");
      adapters.withdraw("run-policy-000001");
      adapters.withdraw("run-policy-000001");
      assertThat(adapters.served()).containsExactly("base");
      assertThatThrownBy(() -> adapters.publish("run-policy-000002", base)).hasMessageContaining("answered 400").hasMessageContaining("not a LoRA adapter");
    }
  }
}
