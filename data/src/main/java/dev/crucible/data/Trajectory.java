package dev.crucible.data;

import java.util.List;
import java.util.Objects;

/**
 * One episode: who acted, every turn, the final patch, how it ended and what it earned.
 *
 * @param episodeId {@link EpisodeId#of} of the next four fields
 * @param runId the run it belongs to
 * @param iteration RL iteration, from 0
 * @param taskId the task's {@code instance_id}
 * @param sampleIndex which of the K samples of this task, from 0
 * @param policyVersion checkpoint or endpoint that acted
 * @param scaffold {@code single} or {@code phased}
 * @param mode the mode's name, for example {@code fast}, {@code standard} or {@code deep}
 * @param modeChooser who chose the mode
 * @param turns every message, in order
 * @param finalPatch the diff of the sandbox against the base commit; empty when nothing changed
 * @param outcome how the episode ended
 * @param outcomeReason why, for errors; {@code null} otherwise
 * @param reward the graded signals, or {@code null} when the episode was not graded (infra errors)
 * @param container what the sandbox cost, or {@code null} when unknown
 * @param startedAtMillis wall-clock start, epoch milliseconds
 * @param durationMillis wall-clock duration, milliseconds
 */
public record Trajectory(
    String episodeId,
    String runId,
    int iteration,
    String taskId,
    int sampleIndex,
    String policyVersion,
    String scaffold,
    String mode,
    ModeChooser modeChooser,
    List<Turn> turns,
    String finalPatch,
    Outcome outcome,
    String outcomeReason,
    RewardBreakdown reward,
    ContainerMetrics container,
    long startedAtMillis,
    long durationMillis) {

  public Trajectory {
    String expectedId = EpisodeId.of(runId, iteration, taskId, sampleIndex);
    if (!expectedId.equals(episodeId)) {
      throw new IllegalArgumentException(
          "episodeId '" + episodeId + "' does not match run, iteration, task and sample: expected '"
              + expectedId + "'");
    }
    Checks.requireText(policyVersion, "policyVersion");
    Checks.requireText(scaffold, "scaffold");
    Checks.requireText(mode, "mode");
    Objects.requireNonNull(modeChooser, "modeChooser");
    turns = List.copyOf(turns);
    Objects.requireNonNull(finalPatch, "finalPatch");
    Objects.requireNonNull(outcome, "outcome");
    if (outcome == Outcome.RESOLVED && (reward == null || !reward.resolved())) {
      throw new IllegalArgumentException("episode " + episodeId + " is resolved but its reward says not");
    }
    Checks.requireNonNegative(durationMillis, "durationMillis");
  }

  /** This episode with other turns and reward, as a grader that credits turns after the episode makes it. */
  public Trajectory withTurns(List<Turn> newTurns, RewardBreakdown newReward) {
    return new Trajectory(episodeId, runId, iteration, taskId, sampleIndex, policyVersion, scaffold, mode, modeChooser, newTurns,
        finalPatch, outcome, outcomeReason, newReward, container, startedAtMillis, durationMillis);
  }
}
