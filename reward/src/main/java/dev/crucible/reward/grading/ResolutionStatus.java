package dev.crucible.reward.grading;

/** SWE-bench's resolution levels. */
public enum ResolutionStatus {
  /** Every FAIL_TO_PASS and PASS_TO_PASS test passes: the task is resolved. */
  FULL,
  /** Some but not all FAIL_TO_PASS tests pass, and every PASS_TO_PASS test passes. */
  PARTIAL,
  /** Anything else. */
  NO
}
