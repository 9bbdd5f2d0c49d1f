package dev.crucible.rollout.agent;

import dev.crucible.data.Turn;
import java.util.List;
import java.util.Objects;

/**
 * The policy's next assistant message.
 *
 * @param content the text it wrote
 * @param toolName the tool it called, or {@code null} when it called none (or the call was malformed)
 * @param toolArguments the call's arguments as JSON text, or {@code null}
 * @param callError why the text held no usable tool call, or {@code null}
 * @param tokenIds generated token ids; empty when the policy has none (scripted)
 * @param logprobs log-probability of each token; empty when unknown
 * @param sampling what the tokens were conditioned on and drawn from, or {@code null} when the policy has no tokens
 * @param countedTokens for a policy without token ids, the tokens its message takes under a tokenizer: what a
 *     model would have generated to write it; 0 otherwise
 */
public record PolicyResponse(
    String content, String toolName, String toolArguments, String callError, List<Integer> tokenIds, List<Float> logprobs,
    Turn.Sampling sampling, int countedTokens) {

  public PolicyResponse {
    Objects.requireNonNull(content, "content");
    tokenIds = List.copyOf(tokenIds);
    logprobs = List.copyOf(logprobs);
    if (countedTokens < 0 || (countedTokens > 0 && !tokenIds.isEmpty())) {
      throw new IllegalArgumentException("counted tokens are for a response without token ids, and at least 0, not " + countedTokens);
    }
  }

  /** A model's response with the token ids it sampled. */
  public PolicyResponse(String content, String toolName, String toolArguments, String callError, List<Integer> tokenIds,
      List<Float> logprobs, Turn.Sampling sampling) {
    this(content, toolName, toolArguments, callError, tokenIds, logprobs, sampling, 0);
  }

  /** A response that calls {@code tool}, with no token information. */
  public static PolicyResponse call(String content, String tool, String argumentsJson) {
    return new PolicyResponse(content, tool, argumentsJson, null, List.of(), List.of(), null);
  }

  /** This response, its message counted as {@code tokens} tokens. */
  public PolicyResponse counted(int tokens) {
    return new PolicyResponse(content, toolName, toolArguments, callError, tokenIds, logprobs, sampling, tokens);
  }

  /** The tokens the response cost: its sampled token ids, else its counted tokens. */
  public int generatedTokens() {
    return tokenIds.isEmpty() ? countedTokens : tokenIds.size();
  }
}
