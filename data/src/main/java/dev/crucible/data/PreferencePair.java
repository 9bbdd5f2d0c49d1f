package dev.crucible.data;

/**
 * Two episodes of the same task whose rewards differ, for DPO: {@code chosen} earned more.
 *
 * @param pairId {@code chosenEpisodeId|rejectedEpisodeId}
 * @param runId run the pair was built in
 * @param iteration iteration the pair was built from
 * @param taskId the shared task
 * @param chosenEpisodeId the better episode
 * @param rejectedEpisodeId the worse episode
 * @param chosenReward reward of the chosen episode
 * @param rejectedReward reward of the rejected episode; strictly less than {@code chosenReward}
 * @param chosenReferenceLogprob summed log-prob of the chosen response under the frozen reference, or
 *     {@code null} before it is computed
 * @param rejectedReferenceLogprob the same for the rejected response, or {@code null}
 */
public record PreferencePair(
    String pairId,
    String runId,
    int iteration,
    String taskId,
    String chosenEpisodeId,
    String rejectedEpisodeId,
    double chosenReward,
    double rejectedReward,
    Double chosenReferenceLogprob,
    Double rejectedReferenceLogprob) {

  public PreferencePair {
    Checks.requireText(runId, "runId");
    Checks.requireNonNegative(iteration, "iteration");
    Checks.requireText(taskId, "taskId");
    Checks.requireText(chosenEpisodeId, "chosenEpisodeId");
    Checks.requireText(rejectedEpisodeId, "rejectedEpisodeId");
    if (!pairId(chosenEpisodeId, rejectedEpisodeId).equals(pairId)) {
      throw new IllegalArgumentException(
          "pairId '" + pairId + "' must be '" + pairId(chosenEpisodeId, rejectedEpisodeId) + "'");
    }
    if (!(chosenReward > rejectedReward)) {
      throw new IllegalArgumentException(
          "chosen reward " + chosenReward + " must exceed rejected reward " + rejectedReward);
    }
  }

  /** The deterministic id of the pair of these two episodes. */
  public static String pairId(String chosenEpisodeId, String rejectedEpisodeId) {
    return chosenEpisodeId + "|" + rejectedEpisodeId;
  }
}
