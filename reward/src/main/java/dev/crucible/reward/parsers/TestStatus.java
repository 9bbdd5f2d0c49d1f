package dev.crucible.reward.parsers;

/** The outcome of one test, as test runners report it. */
public enum TestStatus {
  PASSED,
  FAILED,
  ERROR,
  SKIPPED,
  /** Expected to fail and did: counts as a pass, as in SWE-bench. */
  XFAIL,
  /** Expected to fail but passed. */
  XPASS;

  /** Whether SWE-bench counts the test as passing. */
  public boolean isPass() {
    return this == PASSED || this == XFAIL;
  }

  /** Whether SWE-bench counts the test as failing; skipped tests are neither. */
  public boolean isFailure() {
    return this == FAILED || this == ERROR;
  }
}
