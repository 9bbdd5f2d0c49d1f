package dev.crucible.data;

import java.util.Objects;

/**
 * One graded prediction, as {@code crucible evaluate} stores it for analysis.
 *
 * @param runId the evaluation run
 * @param instanceId the task
 * @param model the predictions' {@code model_name_or_path}
 * @param outcome {@code resolved}, {@code unresolved}, {@code empty_patch}, {@code patch_failed},
 *     {@code timeout} or {@code error}
 * @param reason why, for the failure outcomes; {@code null} otherwise
 * @param patchMethod {@code git_apply}, {@code patch_fuzz} or {@code none}
 * @param attempts sandboxes used
 * @param durationMillis wall time, milliseconds
 * @param reward the reward breakdown, or {@code null} when no tests ran to completion
 */
public record EvaluationRecord(
    String runId,
    String instanceId,
    String model,
    String outcome,
    String reason,
    String patchMethod,
    int attempts,
    long durationMillis,
    RewardBreakdown reward) {

  public EvaluationRecord {
    Checks.requireText(runId, "runId");
    Checks.requireText(instanceId, "instanceId");
    Objects.requireNonNull(model, "model");
    Checks.requireText(outcome, "outcome");
    Objects.requireNonNull(patchMethod, "patchMethod");
    Checks.requireNonNegative(attempts, "attempts");
    Checks.requireNonNegative(durationMillis, "durationMillis");
  }
}
