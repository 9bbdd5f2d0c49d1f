package dev.crucible.rollout.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.Turn;
import dev.crucible.trainer.chat.ChatModel;
import dev.crucible.trainer.chat.Message;
import dev.crucible.trainer.chat.PromptContext;
import dev.crucible.trainer.generate.Generation;
import dev.crucible.trainer.generate.GenerationEngine;
import dev.crucible.trainer.generate.SamplingOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint run in-process with DJL ({@code djl:<checkpoint>}): each executor JVM loads a checkpoint
 * once and shares it across its episodes. The reply's tool call is read as vLLM's Hermes parser reads
 * Qwen output: the text before {@code <tool_call>} is the content, the call is the call.
 */
public final class DjlPolicy implements Policy {
  /** Default sampling of rollouts: varied enough to explore, seeded per episode and turn. */
  static final double TEMPERATURE = 0.7;
  static final double TOP_P = 0.95;
  static final int MAX_NEW_TOKENS = 512;
  /** The checkpoint this JVM's episodes generate with, and its path; one at a time. */
  private static ChatModel loaded;
  private static Path loadedPath;

  private final ChatModel model;
  private final String version;
  private final double temperature;
  private final double topP;
  private final long seed;
  /** This episode's token context: each prompt continues the previous one with the sampled ids. */
  private final PromptContext context = new PromptContext();
  private int turn;

  DjlPolicy(ChatModel model, String version, double temperature, double topP, long seed) {
    this.model = model;
    this.version = version;
    this.temperature = temperature;
    this.topP = topP;
    this.seed = seed;
  }

  @Override
  public String version() {
    return version;
  }

  /**
   * The checkpoint's model, loaded on first use in this JVM and shared by its episodes. Asking for another
   * checkpoint (the next RL iteration's policy) frees the previous one: an executor holds one model, not
   * every one it ever ran. Episodes of one rollout all use the same checkpoint, so none is freed under them.
   */
  static synchronized ChatModel loaded(Path checkpoint) {
    Path key = checkpoint.toAbsolutePath().normalize();
    if (!key.equals(loadedPath)) {
      if (loaded != null) {
        loaded.close();
      }
      loaded = null;
      loadedPath = null;
      loaded = ChatModel.load(key);
      loadedPath = key;
    }
    return loaded;
  }


  @Override
  public PolicyResponse next(List<ChatMessage> messages, ArrayNode tools) {
    List<Message> conversation = messages.stream()
        .map(m -> new Message(m.role(), m.content(), m.toolName(), m.toolArguments())).toList();
    ChatModel.Reply reply;
    try {
      reply = model.reply(conversation, tools, new SamplingOptions(MAX_NEW_TOKENS, temperature, topP, seed * 1009 + turn++, List.of()), context);
    } catch (GenerationEngine.ContextOverflowException e) {
      return new PolicyResponse("", null, null, e.getMessage(), List.of(), List.of(), null);
    }
    Generation generation = reply.generation();
    Turn.Sampling sampling = new Turn.Sampling(
        Arrays.stream(reply.prompt().added()).mapToObj(id -> (int) id).toList(), reply.prompt().extendsPrevious(),
        generation.finishReason().equals("length"), temperature, topP, tools.toString());
    String text = generation.text();
    ToolCallParser.Parsed parsed = ToolCallParser.parse(text);
    int call = text.indexOf("<tool_call>");
    String content = parsed.error() == null && call >= 0 ? text.substring(0, call).strip() : text;
    return new PolicyResponse(content, parsed.tool(), parsed.argumentsJson(), parsed.error(), generation.tokenIds(), generation.logprobs(), sampling);
  }
}
