package dev.crucible.data;

/**
 * Deterministic episode ids: the same run, iteration, task and sample always give the same id, so a
 * Spark task that is retried writes the same episode again instead of a new one, and readers can drop
 * the copy.
 */
public final class EpisodeId {
  private EpisodeId() {}

  /** Returns {@code run/iteration/task/sample}, for example {@code run-7/3/astropy__astropy-12907/2}. */
  public static String of(String runId, int iteration, String taskId, int sampleIndex) {
    Checks.requireText(runId, "runId");
    Checks.requireText(taskId, "taskId");
    Checks.requireNonNegative(iteration, "iteration");
    Checks.requireNonNegative(sampleIndex, "sampleIndex");
    return runId + "/" + iteration + "/" + taskId + "/" + sampleIndex;
  }
}
