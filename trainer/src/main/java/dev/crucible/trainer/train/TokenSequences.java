package dev.crucible.trainer.train;

import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.trainer.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * Training sequences rebuilt from the token ids an episode stored, never from its text: a multi-turn episode
 * is one sequence in which every sampled token is trained on (loss mask 1) and every prompt, tool-response
 * and template token is context (mask 0). Where a turn's prompt does not continue the previous context
 * (the first turn, a trimmed context, a phase with other tools) a new sequence starts, so no sequence holds
 * tokens the policy did not see in that order.
 */
public final class TokenSequences {
  private TokenSequences() {}

  /**
   * One sequence as the policy read and wrote it.
   *
   * @param sampled per position, whether the policy sampled that token
   * @param rolloutLogprobs per position, the sampled token's log-prob under the distribution it was drawn
   *     from; 0 where not sampled
   * @param turns per position, the index of the assistant turn that sampled it; -1 where not sampled
   * @param temperature the sampling temperature of its tokens
   */
  public record Sequence(String episodeId, long[] ids, boolean[] sampled, float[] rolloutLogprobs, int[] turns, double temperature) {
    public int length() {
      return ids.length;
    }

    /** The ids with the loss mask, as the packer takes them. */
    public ChatTemplate.Tokens tokens() {
      return new ChatTemplate.Tokens(ids, sampled);
    }
  }

  /** Whether every assistant turn of the episode recorded what it was sampled from (not so for scripted episodes). */
  public static boolean recorded(Trajectory trajectory) {
    return recorded(trajectory.turns());
  }

  /** Whether every assistant turn that sampled tokens recorded what it was sampled from, and there is one. */
  public static boolean recorded(List<Turn> turns) {
    return turns.stream().filter(TokenSequences::isAssistant).allMatch(turn -> turn.sampling() != null || producedNothing(turn))
        && turns.stream().anyMatch(turn -> isAssistant(turn) && turn.sampling() != null);
  }

  /** The episode's sequences, in order; an assistant turn without its sampling context is refused by name. */
  public static List<Sequence> of(Trajectory trajectory) {
    return of(trajectory.episodeId(), trajectory.turns());
  }

  /** The sequences of the episode {@code episodeId} made of {@code turns}. */
  public static List<Sequence> of(String episodeId, List<Turn> turns) {
    List<Sequence> sequences = new ArrayList<>();
    Builder current = null;
    for (Turn turn : turns) {
      if (!isAssistant(turn)) {
        continue;
      }
      Turn.Sampling sampling = turn.sampling();
      if (sampling == null && producedNothing(turn)) {
        // Nothing was sampled (the prompt no longer fit the model's context): no tokens, and the next
        // prompt is rendered whole, so the sequence ends here.
        if (current != null) {
          sequences.add(current.build(episodeId));
          current = null;
        }
        continue;
      }
      if (sampling == null) {
        throw new IllegalArgumentException("episode " + episodeId + ", turn " + turn.index()
            + ": no token ids were recorded for what the policy sampled (a scripted policy, or a table before schema version 3)");
      }
      if (turn.logprobs().size() != turn.tokenIds().size()) {
        throw new IllegalArgumentException("episode " + episodeId + ", turn " + turn.index() + ": "
            + turn.tokenIds().size() + " sampled tokens but " + turn.logprobs().size() + " log-probs");
      }
      if (current == null || !sampling.extendsPrevious() || current.temperature != sampling.temperature()) {
        if (current != null) {
          sequences.add(current.build(episodeId));
        }
        current = new Builder(sampling.temperature());
      }
      for (int id : sampling.promptTokenIds()) {
        current.add(id, false, 0f, -1);
      }
      for (int i = 0; i < turn.tokenIds().size(); i++) {
        current.add(turn.tokenIds().get(i), true, turn.logprobs().get(i), turn.index());
      }
    }
    if (current != null) {
      sequences.add(current.build(episodeId));
    }
    return sequences;
  }

  /** A turn in which the policy produced nothing at all: no tokens, no text, no call. */
  private static boolean producedNothing(Turn turn) {
    return turn.tokenIds().isEmpty() && turn.content().isEmpty() && turn.toolName() == null;
  }

  private static boolean isAssistant(Turn turn) {
    return turn.role().equals("assistant");
  }

  private static final class Builder {
    private final double temperature;
    private final List<long[]> rows = new ArrayList<>();

    Builder(double temperature) {
      this.temperature = temperature;
    }

    void add(long id, boolean sampled, float logprob, int turn) {
      rows.add(new long[] {id, sampled ? 1 : 0, Float.floatToIntBits(logprob), turn});
    }

    Sequence build(String episodeId) {
      int n = rows.size();
      long[] ids = new long[n];
      boolean[] sampled = new boolean[n];
      float[] logprobs = new float[n];
      int[] turns = new int[n];
      for (int i = 0; i < n; i++) {
        long[] row = rows.get(i);
        ids[i] = row[0];
        sampled[i] = row[1] == 1;
        logprobs[i] = Float.intBitsToFloat((int) row[2]);
        turns[i] = (int) row[3];
      }
      return new Sequence(episodeId, ids, sampled, logprobs, turns, temperature);
    }
  }
}
