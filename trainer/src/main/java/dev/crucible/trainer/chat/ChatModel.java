package dev.crucible.trainer.chat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.io.InputFiles;
import dev.crucible.trainer.generate.Generation;
import dev.crucible.trainer.generate.GenerationEngine;
import dev.crucible.trainer.generate.SamplingOptions;
import dev.crucible.trainer.lora.AdapterConfig;
import dev.crucible.trainer.lora.LoraAdapters;
import dev.crucible.trainer.meta.StatementEmbedding;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint ready to chat: its model, its tokenizer, the chat template and a {@link GenerationEngine}
 * that batches the replies of all the threads asking at once (the episodes of an executor, the requests
 * of a server).
 */
public final class ChatModel implements AutoCloseable {
  private final Path checkpoint;
  private final NDManager manager;
  private final Qwen2Model model;
  private final ChatTokenizer tokenizer;
  private final ChatTemplate template;
  private final GenerationEngine engine;
  /** Replies decoded together at most; more wait for a free row. */
  private static final int ENGINE_ROWS = 8;

  /** @param adapterBase the checkpoint an adapter in {@code checkpoint} is merged into, or {@code null} for a whole checkpoint */
  private ChatModel(Path checkpoint, Path adapterBase) {
    this.checkpoint = checkpoint;
    this.manager = NDManager.newBaseManager();
    this.model = adapterBase == null ? Qwen2Model.load(checkpoint, manager) : LoraAdapters.loadMerged(adapterBase, checkpoint, manager);
    // PEFT adapters often come without a tokenizer; the base's is theirs.
    this.tokenizer = ChatTokenizer.load(adapterBase == null || Files.exists(checkpoint.resolve(ChatTokenizer.FILE_NAME)) ? checkpoint : adapterBase);
    if (tokenizer.vocabularySize() > model.config().vocabSize()) {
      close();
      throw new IllegalArgumentException("the tokenizer of " + checkpoint + " defines " + tokenizer.vocabularySize()
          + " tokens but the model has only " + model.config().vocabSize() + " embeddings");
    }
    this.template = new ChatTemplate(tokenizer);
    this.engine = GenerationEngine.forContext(model, tokenizer, ENGINE_ROWS);
  }

  /**
   * Loads a Hugging Face checkpoint directory holding {@code config.json}, the weights and {@code
   * tokenizer.json}, or a PEFT LoRA adapter directory, merged into the checkpoint its {@code
   * adapter_config.json} names as its base.
   */
  public static ChatModel load(Path checkpoint) {
    InputFiles.require(checkpoint, InputFiles.Kind.DIRECTORY); // Before the engine starts, so a wrong path fails fast.
    return new ChatModel(checkpoint, AdapterConfig.isAdapter(checkpoint) ? AdapterConfig.read(checkpoint).baseDirectory(checkpoint) : null);
  }

  /**
   * The LoRA adapter in {@code adapter} merged into the whole checkpoint {@code base}, whatever base the
   * adapter names (as an inference server applies adapters to the model it serves).
   */
  public static ChatModel withAdapter(Path base, Path adapter) {
    InputFiles.require(adapter, InputFiles.Kind.DIRECTORY);
    if (AdapterConfig.isAdapter(base)) {
      throw new IllegalArgumentException(base + " is itself an adapter; an adapter applies to a whole checkpoint");
    }
    if (!AdapterConfig.isAdapter(adapter)) {
      throw new IllegalArgumentException(adapter + " holds no " + AdapterConfig.FILE + "; it is not a LoRA adapter");
    }
    return new ChatModel(adapter, base);
  }

  public Path checkpoint() {
    return checkpoint;
  }

  /**
   * The assistant's next message after {@code messages}, with {@code tools} offered in the system message.
   * The prompt continues {@code context} token for token where it can ({@link PromptContext}); otherwise it
   * is rendered whole, and when the prompt and the reply would not fit the context, the oldest turns after
   * the task go ({@link ContextWindows#fitPrompt}). A stateless caller passes a new context.
   */
  public Reply reply(List<Message> messages, ArrayNode tools, SamplingOptions options, PromptContext context) {
    PromptContext.Prompt prompt = context.next(template, messages, tools, promptBudget(options));
    Generation generation = engine.generate(prompt.ids(), options);
    context.sampled(prompt, tools, generation.tokenIds(), Math.toIntExact(tokenizer.imEnd()));
    return new Reply(prompt, generation);
  }

  /** A reply and the exact prompt it was generated from. */
  public record Reply(PromptContext.Prompt prompt, Generation generation) {}

  private int promptBudget(SamplingOptions options) {
    return Math.max(1, model.config().maxPositionEmbeddings() - options.maxNewTokens());
  }

  /** How busy this model's generation has been: decoding steps and the sequences they carried. */
  public GenerationEngine.Counters engineCounters() {
    return engine.counters();
  }

  /**
   * {@code text}'s embedding by this model: the mean of its final hidden states over the text's first
   * {@value StatementEmbedding#MAX_TOKENS} tokens, at unit length ({@link StatementEmbedding}).
   */
  public float[] embed(String text) {
    return StatementEmbedding.of(model, tokenizer, text);
  }

  /** The text of one token. */
  public String tokenText(int token) {
    return tokenizer.decode(new long[] {token});
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
    tokenizer.close();
    manager.close();
  }
}
