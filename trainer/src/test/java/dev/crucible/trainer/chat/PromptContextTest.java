package dev.crucible.trainer.chat;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.trainer.generate.SamplingOptions;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompts from turn to turn with a real (untrained) checkpoint: each continues the last token for token. */
class PromptContextTest {
  @TempDir static Path temp;
  private static ChatModel model;
  private static ChatTokenizer tokenizer;
  private static final ArrayNode TOOLS = new ObjectMapper().createArrayNode().add(new ObjectMapper().createObjectNode().put("type", "function"));

  @BeforeAll
  static void load() {
    Path checkpoint = temp.resolve("tiny");
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer builtIn = ChatTokenizer.builtIn()) {
      Qwen2Config config = new Qwen2Config(builtIn.vocabularySize(), 32, 64, 1, 2, 1, 4096, 1e-6, 10000, true, 0, 0);
      Qwen2Model.random(config, 1, manager).save(checkpoint, Long.MAX_VALUE);
      builtIn.save(checkpoint);
    }
    model = ChatModel.load(checkpoint);
    tokenizer = ChatTokenizer.load(checkpoint);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
    model.close();
  }

  @Test
  void eachPromptIsThePreviousPromptItsSampledIdsAndTheNewMessages() {
    PromptContext context = new PromptContext();
    List<Message> messages = new ArrayList<>(List.of(Message.of("system", "You fix bugs."), Message.of("user", "Fix add.")));
    // An untrained model rarely ends a reply: 6 tokens cut it, so its <|im_end|> must come from the next prompt.
    SamplingOptions options = new SamplingOptions(6, 1.0, 1.0, 3, List.of());
    ChatModel.Reply first = model.reply(messages, TOOLS, options, context);
    assertThat(first.prompt().extendsPrevious()).isFalse();
    assertThat(first.prompt().added()).isEqualTo(first.prompt().ids());

    messages.add(new Message("assistant", first.generation().text(), null, null));
    messages.add(new Message("tool", "def add(a, b):\n    return a - b\n", "view_file", null));
    ChatModel.Reply second = model.reply(messages, TOOLS, options, context);
    assertThat(second.prompt().extendsPrevious()).isTrue();
    long[] expected = concat(first.prompt().ids(), ids(first.generation().tokenIds()), second.prompt().added());
    assertThat(second.prompt().ids()).isEqualTo(expected);
    boolean cut = first.generation().finishReason().equals("length");
    assertThat(second.prompt().added()[0]).isEqualTo(cut ? tokenizer.imEnd() : tokenizer.encode("\n")[0]);
    // What follows the sampled ids is the template's rendering of the tool message, then the assistant header.
    long[] header = concat(new long[] {tokenizer.imStart()}, tokenizer.encode("assistant\n"));
    assertThat(Arrays.copyOfRange(second.prompt().ids(), second.prompt().ids().length - header.length, second.prompt().ids().length))
        .isEqualTo(header);

    // A new phase (a fresh system message) is rendered whole.
    List<Message> phase = List.of(Message.of("system", "Now write the fix."), Message.of("user", "Fix add."));
    ChatModel.Reply third = model.reply(phase, TOOLS, options, context);
    assertThat(third.prompt().extendsPrevious()).isFalse();
    // Other tools too.
    messages.add(new Message("assistant", second.generation().text(), null, null));
    messages.add(new Message("tool", "ok", "run_tests", null));
    PromptContext fresh = new PromptContext();
    model.reply(messages.subList(0, 2), TOOLS, options, fresh);
    assertThat(model.reply(messages.subList(0, 4), new ObjectMapper().createArrayNode(), options, fresh).prompt().extendsPrevious()).isFalse();
  }

  private static long[] ids(List<Integer> tokens) {
    return tokens.stream().mapToLong(Integer::longValue).toArray();
  }

  private static long[] concat(long[]... parts) {
    return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
  }
}
