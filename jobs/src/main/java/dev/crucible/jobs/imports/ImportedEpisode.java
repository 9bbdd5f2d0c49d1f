package dev.crucible.jobs.imports;

import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.Turn;
import java.util.List;

/**
 * One episode read from another agent's files, before it becomes a stored trajectory.
 *
 * @param instanceId the task
 * @param policy the policy version it is stored under, for example {@code swe-agent}
 * @param turns the conversation, without token ids
 * @param patch the submitted patch, empty when none
 * @param outcome how it ended, as far as the import can tell
 * @param reason where the outcome comes from
 * @param reward the reward, or null when the episode was not graded
 * @param mappedCalls tool calls mapped onto Crucible's tools
 * @param textCalls tool calls kept as text
 */
record ImportedEpisode(
    String instanceId, String policy, List<Turn> turns, String patch, Outcome outcome, String reason, RewardBreakdown reward, int mappedCalls,
    int textCalls) {

  /** The agent's steps in {@code turns}: its assistant turns. */
  static int steps(List<Turn> turns) {
    return (int) turns.stream().filter(turn -> turn.role().equals("assistant")).count();
  }
}
