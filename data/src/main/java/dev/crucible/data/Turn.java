package dev.crucible.data;

import java.util.List;
import java.util.Objects;

/**
 * One message of an episode: the policy's output with the tool call it made, or the observation the
 * environment answered with.
 *
 * @param index position in the episode, from 0
 * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param phase scaffold phase (for example {@code decoder} in the phased scaffold), or {@code null}
 * @param content the message text
 * @param toolName tool the assistant called, or {@code null}
 * @param toolArguments the call's arguments as JSON text, or {@code null}
 * @param observation what the tool returned, or {@code null}
 * @param tokenIds generated token ids (assistant turns); empty otherwise
 * @param logprobs log-probability of each generated token; same length as {@code tokenIds} or empty
 * @param startedAtMillis wall-clock start, epoch milliseconds
 * @param generationMillis time the policy took, in milliseconds
 * @param toolMillis time the tool took, in milliseconds
 */
public record Turn(
    int index,
    String role,
    String phase,
    String content,
    String toolName,
    String toolArguments,
    String observation,
    List<Integer> tokenIds,
    List<Float> logprobs,
    long startedAtMillis,
    long generationMillis,
    long toolMillis) {

  public Turn {
    Checks.requireNonNegative(index, "index");
    Checks.requireText(role, "role");
    Objects.requireNonNull(content, "content");
    tokenIds = List.copyOf(tokenIds);
    logprobs = List.copyOf(logprobs);
    if (!logprobs.isEmpty() && logprobs.size() != tokenIds.size()) {
      throw new IllegalArgumentException(
          "turn " + index + ": " + logprobs.size() + " logprobs for " + tokenIds.size() + " tokens");
    }
    Checks.requireNonNegative(generationMillis, "generationMillis");
    Checks.requireNonNegative(toolMillis, "toolMillis");
  }
}
