package dev.crucible.rollout.agent;

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
 */
public record PolicyResponse(
    String content, String toolName, String toolArguments, String callError, List<Integer> tokenIds, List<Float> logprobs) {

  public PolicyResponse {
    Objects.requireNonNull(content, "content");
    tokenIds = List.copyOf(tokenIds);
    logprobs = List.copyOf(logprobs);
  }

  /** A response that calls {@code tool}, with no token information. */
  public static PolicyResponse call(String content, String tool, String argumentsJson) {
    return new PolicyResponse(content, tool, argumentsJson, null, List.of(), List.of());
  }
}
