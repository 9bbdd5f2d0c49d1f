package dev.crucible.reward.grading;

import dev.crucible.reward.parsers.TestStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Grades a test run's statuses against a task's FAIL_TO_PASS and PASS_TO_PASS lists, as SWE-bench does. */
public final class SweBenchGrader {
  private SweBenchGrader() {}

  public static TestsReport grade(List<String> failToPass, List<String> passToPass, Map<String, TestStatus> statuses) {
    List<String> f2pSuccess = new ArrayList<>();
    List<String> f2pFailure = new ArrayList<>();
    List<String> p2pSuccess = new ArrayList<>();
    List<String> p2pFailure = new ArrayList<>();
    sort(failToPass, statuses, f2pSuccess, f2pFailure);
    sort(passToPass, statuses, p2pSuccess, p2pFailure);
    return new TestsReport(f2pSuccess, f2pFailure, p2pSuccess, p2pFailure);
  }

  private static void sort(List<String> tests, Map<String, TestStatus> statuses, List<String> success, List<String> failure) {
    for (String test : tests) {
      TestStatus status = statuses.get(test);
      if (status == null || status.isFailure()) {
        failure.add(test);
      } else if (status.isPass()) {
        success.add(test);
      }
    }
  }
}
