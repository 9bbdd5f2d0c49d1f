package dev.crucible.reward.grading;

import java.util.List;

/**
 * Per-test outcome of the two lists SWE-bench grades, in its {@code tests_status} layout, as
 * {@link SweBenchGrader} sorts them.
 *
 * @param failToPassSuccess FAIL_TO_PASS tests that now pass
 * @param failToPassFailure FAIL_TO_PASS tests that still fail or are missing
 * @param passToPassSuccess PASS_TO_PASS tests that still pass
 * @param passToPassFailure PASS_TO_PASS tests that now fail or are missing
 */
public record TestsReport(
    List<String> failToPassSuccess,
    List<String> failToPassFailure,
    List<String> passToPassSuccess,
    List<String> passToPassFailure) {

  public TestsReport {
    failToPassSuccess = List.copyOf(failToPassSuccess);
    failToPassFailure = List.copyOf(failToPassFailure);
    passToPassSuccess = List.copyOf(passToPassSuccess);
    passToPassFailure = List.copyOf(passToPassFailure);
  }

  /** Fraction of graded FAIL_TO_PASS tests that pass; 1 when none is graded. */
  public double failToPassFraction() {
    return fraction(failToPassSuccess.size(), failToPassFailure.size());
  }

  /** Fraction of graded PASS_TO_PASS tests that pass; 1 when none is graded. */
  public double passToPassFraction() {
    return fraction(passToPassSuccess.size(), passToPassFailure.size());
  }

  /** SWE-bench's resolution level. */
  public ResolutionStatus resolution() {
    if (!passToPassFailure.isEmpty()) {
      return ResolutionStatus.NO;
    }
    if (failToPassFailure.isEmpty()) {
      return ResolutionStatus.FULL;
    }
    return failToPassSuccess.isEmpty() ? ResolutionStatus.NO : ResolutionStatus.PARTIAL;
  }

  private static double fraction(int success, int failure) {
    return success + failure == 0 ? 1.0 : (double) success / (success + failure);
  }
}
