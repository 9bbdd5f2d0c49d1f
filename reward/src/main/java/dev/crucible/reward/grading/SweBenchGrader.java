package dev.crucible.reward.grading;

import dev.crucible.data.EvalType;
import dev.crucible.reward.parsers.TestStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grades a test run's statuses against a task's FAIL_TO_PASS and PASS_TO_PASS lists with SWE-bench
 * 5's rules ({@code get_eval_tests_report} in {@code swebench/harness/grading.py}):
 *
 * <ul>
 *   <li>a FAIL_TO_PASS test succeeds when it PASSED or XFAILed, and fails when it is missing, FAILED,
 *       ERRORed or was SKIPPED (skipping every target test resolves nothing);
 *   <li>a PASS_TO_PASS test succeeds when it passed or was SKIPPED, and fails when missing, FAILED or
 *       ERRORed;
 *   <li>an id the log lacks that is a parametrized id cut short (more {@code [} than {@code ]}, as 676
 *       of SWE-bench Verified's are) matches the log's ids it begins, when they agree on passing;
 *   <li>under {@link EvalType#FAIL_ONLY} a test fails only when the log says it FAILED;
 *   <li>a status SWE-bench's parsers never give ({@link TestStatus#UNRECOGNIZED}) lands in neither list.
 * </ul>
 *
 * An {@link TestStatus#XPASS}, which Crucible's pytest parser reads and SWE-bench's do not, grades as
 * it does there, where the test is missing: a failure.
 */
public final class SweBenchGrader {
  private SweBenchGrader() {}

  public static TestsReport grade(List<String> failToPass, List<String> passToPass, Map<String, TestStatus> statuses) {
    return grade(failToPass, passToPass, statuses, EvalType.PASS_AND_FAIL);
  }

  public static TestsReport grade(
      List<String> failToPass, List<String> passToPass, Map<String, TestStatus> statuses, EvalType evalType) {
    List<String> f2pSuccess = new ArrayList<>();
    List<String> f2pFailure = new ArrayList<>();
    List<String> p2pSuccess = new ArrayList<>();
    List<String> p2pFailure = new ArrayList<>();
    for (String test : failToPass) {
      Optional<Boolean> success = evalType == EvalType.FAIL_ONLY ? Optional.of(notFailed(test, statuses)) : resolved(test, statuses);
      success.ifPresent(passed -> (passed ? f2pSuccess : f2pFailure).add(test));
    }
    for (String test : passToPass) {
      Optional<Boolean> success = evalType == EvalType.FAIL_ONLY ? Optional.of(notFailed(test, statuses)) : maintained(test, statuses);
      success.ifPresent(passed -> (passed ? p2pSuccess : p2pFailure).add(test));
    }
    return new TestsReport(f2pSuccess, f2pFailure, p2pSuccess, p2pFailure);
  }

  /** A FAIL_TO_PASS test's grade: true on success, false on failure, empty when neither. */
  private static Optional<Boolean> resolved(String test, Map<String, TestStatus> statuses) {
    Optional<TestStatus> status = statusOf(test, statuses);
    if (status.isPresent() && status.get().isPass()) {
      return Optional.of(true);
    }
    return failed(status) ? Optional.of(false) : Optional.empty();
  }

  /** A PASS_TO_PASS test's grade: a skip is no regression. */
  private static Optional<Boolean> maintained(String test, Map<String, TestStatus> statuses) {
    Optional<TestStatus> status = statusOf(test, statuses);
    if (status.isPresent() && (status.get().isPass() || status.get() == TestStatus.SKIPPED)) {
      return Optional.of(true);
    }
    return failed(status) ? Optional.of(false) : Optional.empty();
  }

  private static boolean failed(Optional<TestStatus> status) {
    return status.isEmpty() || status.get().isFailure() || status.get() == TestStatus.SKIPPED || status.get() == TestStatus.XPASS;
  }

  /** Under FAIL_ONLY, by exact id as there: anything but a FAILED status is a success. */
  private static boolean notFailed(String test, Map<String, TestStatus> statuses) {
    return statuses.get(test) != TestStatus.FAILED;
  }

  /**
   * The status the log gives {@code test}: by its id, or for a parametrized id cut short, by the first
   * of the log's ids it begins when all of them agree on passing ({@code _resolve_case}).
   */
  static Optional<TestStatus> statusOf(String test, Map<String, TestStatus> statuses) {
    TestStatus exact = statuses.get(test);
    if (exact != null) {
      return Optional.of(exact);
    }
    if (count(test, '[') <= count(test, ']')) {
      return Optional.empty();
    }
    List<TestStatus> candidates =
        statuses.entrySet().stream().filter(entry -> entry.getKey().startsWith(test)).map(Map.Entry::getValue).toList();
    boolean agree = !candidates.isEmpty() && candidates.stream().map(TestStatus::isPass).distinct().count() == 1;
    return agree ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  private static long count(String s, char c) {
    return s.chars().filter(ch -> ch == c).count();
  }
}
