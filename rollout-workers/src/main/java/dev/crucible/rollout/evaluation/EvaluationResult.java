package dev.crucible.rollout.evaluation;

import dev.crucible.data.RewardBreakdown;
import dev.crucible.reward.grading.TestsReport;
import java.util.Objects;

/**
 * Everything the evaluation of one prediction found.
 *
 * @param instanceId the task
 * @param outcome how it ended
 * @param reason why, for {@code ERROR}, {@code PATCH_FAILED} and {@code TIMEOUT}; {@code null} otherwise
 * @param patchMethod how the patch went in: {@code git_apply}, {@code patch_fuzz}, or {@code none}
 * @param tests per-test results, or {@code null} when the tests did not run to completion
 * @param testOutput what the test command printed (stdout then stderr), empty when it did not run
 * @param reward the reward breakdown, or {@code null} when there was nothing to grade
 * @param attempts sandboxes used, more than 1 after retried infrastructure failures
 * @param durationMillis wall time of all attempts
 * @param harness for a row run in its own image by its {@code eval_script}, the files SWE-bench's harness
 *     leaves; {@code null} for a task run by its {@code test_cmd}
 */
public record EvaluationResult(
    String instanceId,
    EvaluationOutcome outcome,
    String reason,
    String patchMethod,
    TestsReport tests,
    String testOutput,
    RewardBreakdown reward,
    int attempts,
    long durationMillis,
    HarnessFiles harness) {

  public EvaluationResult {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(patchMethod, "patchMethod");
    Objects.requireNonNull(testOutput, "testOutput");
  }

  /** A result of a task run by its {@code test_cmd}: no harness files. */
  public EvaluationResult(
      String instanceId, EvaluationOutcome outcome, String reason, String patchMethod, TestsReport tests, String testOutput,
      RewardBreakdown reward, int attempts, long durationMillis) {
    this(instanceId, outcome, reason, patchMethod, tests, testOutput, reward, attempts, durationMillis, null);
  }

  /** Whether the patch went in. */
  public boolean patchApplied() {
    return !patchMethod.equals(PatchApplier.NOT_APPLIED);
  }
}
