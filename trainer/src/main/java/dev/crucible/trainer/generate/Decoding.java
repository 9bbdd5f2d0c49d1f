package dev.crucible.trainer.generate;

import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One sequence being generated: its sampler, the tokens so far and when it ends (an end token, a stop
 * text, or its budget). The engine feeds it one position's logits at a time; it never touches the model.
 */
final class Decoding {
  private final long[] prompt;
  private final SamplingOptions options;
  private final ChatTokenizer tokenizer;
  private final Sampler sampler;
  private final int budget;
  private final List<Integer> tokens = new ArrayList<>();
  private final List<Float> logprobs = new ArrayList<>();
  private String text = "";
  private String stoppedText; // The text cut before a stop text, once one appears.
  private boolean endToken;

  /** @param budget tokens it may generate: the request's maximum or what the context leaves, whichever is less */
  Decoding(long[] prompt, SamplingOptions options, ChatTokenizer tokenizer, int budget) {
    this.prompt = prompt;
    this.options = options;
    this.tokenizer = tokenizer;
    this.sampler = new Sampler(options);
    this.budget = budget;
  }

  int budget() {
    return budget;
  }

  long[] prompt() {
    return prompt;
  }

  /** The token the next forward pass reads: the one sampled last. */
  long lastToken() {
    return tokens.get(tokens.size() - 1);
  }

  /** The position of {@link #lastToken}, which is also how many positions the cache holds for this sequence. */
  int lastPosition() {
    return prompt.length + tokens.size() - 1;
  }

  /** The tokens whose keys and values the cache holds: the prompt and every sampled token but the last. */
  long[] cachedIds() {
    long[] ids = Arrays.copyOf(prompt, lastPosition());
    for (int i = prompt.length; i < ids.length; i++) {
      ids[i] = tokens.get(i - prompt.length);
    }
    return ids;
  }

  /** Picks the next token from the logits after the last position; returns whether the sequence has ended. */
  boolean accept(float[] logits) {
    Sampler.Pick pick = sampler.pick(logits);
    int token = pick.token();
    tokens.add(token);
    logprobs.add(pick.logprob());
    if (token == tokenizer.imEnd() || token == tokenizer.endOfText()) {
      endToken = true;
      return true;
    }
    if (!options.stop().isEmpty()) { // Decoding every step costs; only stop texts need it.
      int searchFrom = text.length();
      text = decode(tokens);
      int cut = firstStop(text, options.stop(), searchFrom);
      if (cut >= 0) {
        stoppedText = text.substring(0, cut);
        return true;
      }
    }
    return tokens.size() >= budget;
  }

  Generation generation() {
    String finalText = stoppedText != null ? stoppedText : decode(endToken ? tokens.subList(0, tokens.size() - 1) : tokens);
    String finish = endToken || stoppedText != null ? "stop" : "length";
    return new Generation(prompt.length, List.copyOf(tokens), List.copyOf(logprobs), finalText, finish);
  }

  private String decode(List<Integer> ids) {
    return tokenizer.decode(ids.stream().mapToLong(Integer::longValue).toArray());
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
}
