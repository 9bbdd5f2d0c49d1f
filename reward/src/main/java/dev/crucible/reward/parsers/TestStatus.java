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
  XPASS,
  /**
   * A word in the status position that no rule knows ({@code XPASSED}, {@code PASSEDX}): SWE-bench's
   * parsers record it as it stands, and its grader then counts the test neither passing nor failing.
   */
  UNRECOGNIZED;

  /** Whether SWE-bench counts the test as passing. */
  public boolean isPass() {
    return this == PASSED || this == XFAIL;
  }

  /** Whether SWE-bench counts the test as failing; skipped tests are neither. */
  public boolean isFailure() {
    return this == FAILED || this == ERROR;
  }

  /**
   * The status SWE-bench's status word {@code word} stands for: one of its five ({@code PASSED},
   * {@code FAILED}, {@code SKIPPED}, {@code ERROR}, {@code XFAIL}) or {@link #UNRECOGNIZED}.
   */
  public static TestStatus ofSweBenchWord(String word) {
    return switch (word) {
      case "PASSED" -> PASSED;
      case "FAILED" -> FAILED;
      case "SKIPPED" -> SKIPPED;
      case "ERROR" -> ERROR;
      case "XFAIL" -> XFAIL;
      default -> UNRECOGNIZED;
    };
  }
}
