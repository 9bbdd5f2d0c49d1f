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
 */
public record PolicyResponse(
    String content, String toolName, String toolArguments, String callError, List<Integer> tokenIds, List<Float> logprobs,
    Turn.Sampling sampling) {

  public PolicyResponse {
    Objects.requireNonNull(content, "content");
    tokenIds = List.copyOf(tokenIds);
    logprobs = List.copyOf(logprobs);
  }

  /** A response that calls {@code tool}, with no token information. */
  public static PolicyResponse call(String content, String tool, String argumentsJson) {
    return new PolicyResponse(content, tool, argumentsJson, null, List.of(), List.of(), null);
  }
}
