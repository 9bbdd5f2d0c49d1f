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
 * @param logprobs log-probability of each generated token under the distribution it was sampled from
 *     (see {@link Sampling}); same length as {@code tokenIds} or empty
 * @param startedAtMillis wall-clock start, epoch milliseconds
 * @param generationMillis time the policy took, in milliseconds
 * @param toolMillis time the tool took, in milliseconds
 * @param sampling exactly what the policy was conditioned on and sampled from, for training on token ids;
 *     {@code null} where the policy has no tokens (scripted) and in tables before schema version 3
 * @param progress MRT's progress reward credited to this assistant turn: the change in the graded share of
 *     FAIL_TO_PASS tests its tool call made (an edit, a test run); {@code null} where the turn was no
 *     edit boundary, progress was not measured, or its grading failed
 * @param milestone the plan's fixed shaping bonus earned at this assistant turn ({@code Milestones}: a plan
 *     before the first edit, the first change, the first tests passing, the solve); {@code null} where it
 *     earned none or milestones were not measured
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
    long toolMillis,
    Sampling sampling,
    Double progress,
    Double milestone) {

  /** A turn with no progress measured. */
  public Turn(int index, String role, String phase, String content, String toolName, String toolArguments, String observation,
      List<Integer> tokenIds, List<Float> logprobs, long startedAtMillis, long generationMillis, long toolMillis, Sampling sampling) {
    this(index, role, phase, content, toolName, toolArguments, observation, tokenIds, logprobs, startedAtMillis,
        generationMillis, toolMillis, sampling, null, null);
  }

  /** A turn without sampling context: every role but a model's assistant turns. */
  public Turn(int index, String role, String phase, String content, String toolName, String toolArguments, String observation,
      List<Integer> tokenIds, List<Float> logprobs, long startedAtMillis, long generationMillis, long toolMillis) {
    this(index, role, phase, content, toolName, toolArguments, observation, tokenIds, logprobs, startedAtMillis,
        generationMillis, toolMillis, null, null, null);
  }

  /** This turn with {@code progress} credited to it. */
  public Turn withProgress(Double progress) {
    return new Turn(index, role, phase, content, toolName, toolArguments, observation, tokenIds, logprobs, startedAtMillis,
        generationMillis, toolMillis, sampling, progress, milestone);
  }

  /** This turn with the fixed bonus {@code milestone} credited to it. */
  public Turn withMilestone(Double milestone) {
    return new Turn(index, role, phase, content, toolName, toolArguments, observation, tokenIds, logprobs, startedAtMillis,
        generationMillis, toolMillis, sampling, progress, milestone);
  }

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

  /**
   * The context of an assistant turn's tokens. The policy's context at this turn is the previous assistant
   * turn's context, its sampled {@code tokenIds}, then {@code promptTokenIds} when {@code extendsPrevious};
   * otherwise {@code promptTokenIds} alone (the first turn, a trimmed context, a phase with other tools).
   * Training rebuilds sequences from these ids and never re-tokenizes text.
   *
   * @param promptTokenIds the prompt's tokens after the previous context, or the whole prompt
   * @param extendsPrevious whether the prompt continues the previous assistant turn's context
   * @param truncated the reply was cut by the length limit: its last token is not an end token
   * @param temperature the sampling temperature; the turn's {@code logprobs} are of {@code softmax(logits / T)}
   *     restricted to the top-p nucleus and renormalized, exactly the distribution the tokens were drawn
   *     from; 0 for greedy decoding, whose log-probs are the model's at temperature 1 (RL refuses such turns)
   * @param topP the nucleus the tokens were drawn from (1 for all)
   * @param toolsJson the tool schemas offered, a JSON array in the OpenAI function-calling layout
   */
  public record Sampling(
      List<Integer> promptTokenIds, boolean extendsPrevious, boolean truncated, double temperature, double topP, String toolsJson) {
    public Sampling {
      promptTokenIds = List.copyOf(promptTokenIds);
      if (!extendsPrevious && promptTokenIds.isEmpty()) {
        throw new IllegalArgumentException("a prompt that does not extend the previous context needs its tokens");
      }
      Objects.requireNonNull(toolsJson, "toolsJson");
    }
  }

  /** A tool turn whose tool reported an error (its observation starts with {@code Error}). */
  public boolean toolFailed() {
    return role.equals("tool") && observation != null && observation.startsWith("Error");
  }
}
