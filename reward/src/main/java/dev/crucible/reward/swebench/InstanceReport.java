package dev.crucible.reward.swebench;

import dev.crucible.data.EvalType;
import dev.crucible.reward.grading.ResolutionStatus;
import dev.crucible.reward.grading.SweBenchGrader;
import dev.crucible.reward.grading.TestsReport;
import dev.crucible.reward.parsers.LogParser;
import dev.crucible.reward.parsers.PythonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One instance's {@code report.json}, with SWE-bench 5's fields and rules ({@code get_eval_report}
 * with the tests' statuses included, as {@code run_instance} writes it).
 *
 * @param instanceId the row's {@code instance_id}
 * @param patchIsNone whether the prediction had no patch at all
 * @param patchSuccessfullyApplied whether the log held up to {@link HarnessLog}'s checks
 * @param resolved whether every FAIL_TO_PASS and PASS_TO_PASS test succeeded
 * @param infraFailure an unreadable log's likely environmental cause, if it shows one
 * @param tests the tests' grades, present exactly when the log held up
 * @param refusal why the log did not hold up (Crucible's, kept out of {@code report.json})
 */
public record InstanceReport(
    String instanceId,
    boolean patchIsNone,
    boolean patchSuccessfullyApplied,
    boolean resolved,
    Optional<InfraFailure> infraFailure,
    Optional<TestsReport> tests,
    Optional<String> refusal) {

  /** What a row asks of a test run. */
  public record Row(String instanceId, List<String> failToPass, List<String> passToPass, LogParser parser, EvalType evalType) {}

  /**
   * Grades {@code testOutput}, the eval script's whole output, for the prediction {@code modelPatch}
   * (null for none, in which case no log is read). The output is read as the harness reads its log
   * file, with universal newlines.
   */
  public static InstanceReport grade(Row row, String modelPatch, String testOutput) {
    if (modelPatch == null) {
      return new InstanceReport(row.instanceId(), true, false, false, Optional.empty(), Optional.empty(), Optional.empty());
    }
    testOutput = PythonText.universalNewlines(testOutput);
    HarnessLog.Reading reading = HarnessLog.read(testOutput, row.parser());
    if (!reading.found()) {
      return new InstanceReport(
          row.instanceId(), false, false, false, InfraFailure.classify(testOutput), Optional.empty(), reading.refusal());
    }
    TestsReport tests = SweBenchGrader.grade(row.failToPass(), row.passToPass(), reading.statuses(), row.evalType());
    boolean resolved = tests.resolution() == ResolutionStatus.FULL;
    return new InstanceReport(row.instanceId(), false, true, resolved, Optional.empty(), Optional.of(tests), Optional.empty());
  }

  /** The text of {@code report.json}, byte for byte as the official harness writes it. */
  public String toJson() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("patch_is_None", patchIsNone);
    fields.put("patch_exists", !patchIsNone);
    fields.put("patch_successfully_applied", patchSuccessfullyApplied);
    fields.put("resolved", resolved);
    fields.put("infra_failure", infraFailure.map(failure -> failure.tier() == InfraFailure.Tier.ENVIRONMENT).orElse(false));
    infraFailure.ifPresent(failure -> fields.put("infra_failure_reason", failure.reason()));
    tests.ifPresent(report -> fields.put("tests_status", testsStatus(report)));
    return PythonJson.dumps(Map.of(instanceId, fields));
  }

  private static Map<String, Object> testsStatus(TestsReport report) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("FAIL_TO_PASS", outcome(report.failToPassSuccess(), report.failToPassFailure()));
    status.put("PASS_TO_PASS", outcome(report.passToPassSuccess(), report.passToPassFailure()));
    // Graded only with calculate_to_fail, which the official report never sets.
    status.put("FAIL_TO_FAIL", outcome(List.of(), List.of()));
    status.put("PASS_TO_FAIL", outcome(List.of(), List.of()));
    return status;
  }

  private static Map<String, Object> outcome(List<String> success, List<String> failure) {
    Map<String, Object> outcome = new LinkedHashMap<>();
    outcome.put("success", success);
    outcome.put("failure", failure);
    return outcome;
  }
}
