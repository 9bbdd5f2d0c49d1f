package dev.crucible.trainer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.model.AttentionBias;
import dev.crucible.trainer.model.KvCache;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Autoregressive generation with a KV cache: the prompt in one forward pass, then one token per pass.
 * Each pass runs in its own {@link NDScope}, so memory stays at the cache plus one step.
 */
public final class Generator {
  private final Qwen2Model model;
  private final ChatTokenizer tokenizer;

  public Generator(Qwen2Model model, ChatTokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
  }

  public Generation generate(long[] prompt, SamplingOptions options) {
    int context = model.config().maxPositionEmbeddings();
    if (prompt.length == 0 || prompt.length >= context) {
      throw new ContextOverflowException(prompt.length, context);
    }
    int budget = Math.min(options.maxNewTokens(), context - prompt.length);
    Sampler sampler = new Sampler(options);
    List<Integer> tokens = new ArrayList<>();
    List<Float> logprobs = new ArrayList<>();
    boolean endToken = false;
    String stoppedText = null; // The text cut before a stop text, once one appears.
    NDManager manager = model.manager();
    try (KvCache cache = new KvCache(model.config().numHiddenLayers())) {
      long[] next = prompt;
      String text = "";
      while (tokens.size() < budget) {
        float[] logits = lastLogits(manager, next, cache);
        Sampler.Pick pick = sampler.pick(logits);
        int token = pick.token();
        tokens.add(token);
        logprobs.add(pick.logprob());
        if (token == tokenizer.imEnd() || token == tokenizer.endOfText()) {
          endToken = true;
          break;
        }
        if (!options.stop().isEmpty()) { // Decoding every step costs; only stop texts need it.
          int searchFrom = text.length();
          text = decode(tokens);
          int cut = firstStop(text, options.stop(), searchFrom);
          if (cut >= 0) {
            stoppedText = text.substring(0, cut);
            break;
          }
        }
        next = new long[] {token};
      }
    }
    String text = stoppedText != null ? stoppedText : decode(endToken ? tokens.subList(0, tokens.size() - 1) : tokens);
    String finish = endToken || stoppedText != null ? "stop" : "length";
    return new Generation(prompt.length, tokens, logprobs, text, finish);
  }

  private float[] lastLogits(NDManager manager, long[] ids, KvCache cache) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      int past = (int) cache.length();
      long[] positions = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        positions[i] = past + i;
      }
      NDArray input = manager.create(ids, new Shape(1, ids.length));
      NDArray position = manager.create(positions, new Shape(1, ids.length));
      NDArray bias = AttentionBias.causal(manager, past, ids.length);
      NDArray hidden = model.hidden(input, position, bias, cache);
      return model.logits(hidden.get(":, -1, :")).toFloatArray();
    }
  }

  private String decode(List<Integer> tokens) {
    return tokenizer.decode(tokens.stream().mapToLong(Integer::longValue).toArray());
  }

  /**
   * Where the first stop text begins, or -1. A token can hold a stop text and more, so the search
   * covers everything from just before the previous text's end.
   */
  private static int firstStop(String text, List<String> stops, int previousLength) {
    int first = -1;
    for (String stop : stops) {
      if (stop.isEmpty()) {
        continue;
      }
      int at = text.indexOf(stop, Math.max(0, previousLength - stop.length() + 1));
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }

  /** The prompt does not leave room for a single new token in the model's context. */
  public static final class ContextOverflowException extends IllegalArgumentException {
    public ContextOverflowException(int promptTokens, int context) {
      super("a prompt of " + promptTokens + " tokens leaves no room in the model's context of " + context + " tokens");
    }
  }
}
