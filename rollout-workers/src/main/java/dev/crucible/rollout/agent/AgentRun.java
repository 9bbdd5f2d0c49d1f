package dev.crucible.rollout.agent;

import dev.crucible.data.Turn;
import java.util.List;

/**
 * What an agent did in one episode.
 *
 * @param turns every message, in order
 * @param steps assistant turns taken
 * @param tokens tokens the policy generated
 * @param submitted whether it called {@code submit} before its budget ran out
 */
public record AgentRun(List<Turn> turns, int steps, long tokens, boolean submitted) {
  public AgentRun {
    turns = List.copyOf(turns);
  }
}
