package dev.crucible.jobs.train;

import dev.crucible.trainer.chat.ChatTemplate;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One episode read from a trajectory table, tokenized on an executor: the token ids and assistant mask of
 * each sequence (a model's token-exact sequence, or a rendered conversation or context window of it), with what pairing and filtering need.
 *
 * @param outcome {@code resolved}, {@code unresolved}, {@code agent_error} or {@code infra_error}
 * @param reward the episode's reward, or {@code null} when it was not graded
 */
public record EncodedEpisode(
    String episodeId, String runId, int iteration, String taskId, String outcome, boolean resolved, Double reward, List<long[]> ids,
    List<boolean[]> masks) implements Serializable {

  /** Its sequences with their loss masks, as the packer takes them. */
  public List<ChatTemplate.Tokens> sequences() {
    List<ChatTemplate.Tokens> sequences = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      sequences.add(new ChatTemplate.Tokens(ids.get(i), masks.get(i)));
    }
    return sequences;
  }

  /**
   * What the episode is worth when pairing for DPO: its reward; 0 when the agent ended it with no
   * change to grade (nothing earned, and the agent's doing); {@code null}, no part in any pair, for an
   * infrastructure error, which says nothing about the policy.
   */
  public Double pairingReward() {
    if (reward != null) {
      return reward;
    }
    return outcome.equals("infra_error") ? null : 0.0;
  }
}
