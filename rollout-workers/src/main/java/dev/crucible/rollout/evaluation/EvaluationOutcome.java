package dev.crucible.rollout.evaluation;

import java.util.Locale;

/** How the evaluation of one prediction ended; each is its own count in the summary. */
public enum EvaluationOutcome {
  /** Every FAIL_TO_PASS and PASS_TO_PASS test passes. */
  RESOLVED,
  /** The tests ran and not all of them pass. */
  UNRESOLVED,
  /** The prediction has no patch; nothing was run. */
  EMPTY_PATCH,
  /** Neither {@code git apply} nor {@code patch --fuzz} could apply the patch. */
  PATCH_FAILED,
  /** The test command ran past its timeout. */
  TIMEOUT,
  /** The evaluation could not be done: the sandbox failed (after retries) or the task is broken. */
  ERROR;

  /** The lower-case name used in reports, for example {@code patch_failed}. */
  public String reportName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
