package dev.crucible.trainer.generate;

import java.util.List;

/**
 * How to pick tokens.
 *
 * @param maxNewTokens at most this many tokens are generated
 * @param temperature 0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topP sample from the smallest set of tokens whose probability reaches this (1 = all)
 * @param seed seeds the sampler, so a generation can be repeated
 * @param stop generation ends at the first of these texts, which is kept out of the result
 */
public record SamplingOptions(int maxNewTokens, double temperature, double topP, long seed, List<String> stop) {
  public SamplingOptions {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be at least 1, not " + maxNewTokens);
    }
    if (temperature < 0) {
      throw new IllegalArgumentException("temperature must not be negative, not " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], not " + topP);
    }
    stop = List.copyOf(stop);
  }

  public static SamplingOptions greedy(int maxNewTokens) {
    return new SamplingOptions(maxNewTokens, 0, 1, 0, List.of());
  }
}
