package dev.crucible.reward.grading;

import dev.crucible.reward.parsers.TestStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a test run's log can be trusted enough to grade. The code under test runs inside the test
 * command, so it can print anything, including {@code PASSED} lines, and end the process with any exit
 * code. Only evidence it cannot easily forge is accepted, as SWE-bench 5 does:
 *
 * <ol>
 *   <li>the log shows test results at all (a run that died at import shows none);
 *   <li>the exit code, which the harness records, agrees with the log: a command that failed while
 *       its log shows no failure is refused, and for pytest so is one that succeeded while its log
 *       shows failures;
 *   <li>for pytest, the JUnit XML report pytest writes at the very end of the session, to a path chosen
 *       at random for the run, exists and says every graded test the log counts as passing passed.
 * </ol>
 *
 * Code that rewrites pytest's own internals at import can still forge a consistent run; the README's
 * threat model says so.
 */
public final class RunEvidence {
  private RunEvidence() {}

  /**
   * What one test run left behind.
   *
   * @param exitCode the test command's exit status
   * @param log the statuses the task's log parser read from the output
   * @param pytest whether the command was pytest, which must write the JUnit report
   * @param junitReport statuses from the JUnit report by JUnit id ({@code classname.name}), or
   *     {@code null} when pytest wrote none
   */
  public record Run(int exitCode, Map<String, TestStatus> log, boolean pytest, Map<String, TestStatus> junitReport) {}

  /** The reason to refuse the run's log, or empty when it holds up. */
  public static Optional<String> refusal(Run run, List<String> failToPass, List<String> passToPass) {
    if (run.log().isEmpty()) {
      return Optional.of("the test log shows no test results (exit " + run.exitCode() + "): the suite did not run");
    }
    boolean logShowsFailure = run.log().values().stream().anyMatch(TestStatus::isFailure);
    if (run.exitCode() != 0 && !logShowsFailure) {
      return Optional.of("the test command failed (exit " + run.exitCode() + ") but its log shows no failure");
    }
    if (!run.pytest()) {
      return Optional.empty();
    }
    if (run.exitCode() == 0 && logShowsFailure) {
      return Optional.of("pytest exited 0 but its log shows failures");
    }
    if (run.junitReport() == null) {
      return Optional.of("pytest wrote no JUnit report: the run ended before pytest finished");
    }
    List<String> graded = new ArrayList<>(failToPass);
    graded.addAll(passToPass);
    for (String test : graded) {
      TestStatus inLog = run.log().get(test);
      if (inLog != null && inLog.isPass()) {
        TestStatus inReport = run.junitReport().get(junitId(test));
        if (inReport == null || !inReport.isPass()) {
          return Optional.of(
              "the log says " + test + " passed but pytest's report says " + (inReport == null ? "nothing of it" : inReport));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The JUnit id ({@code classname.name}) pytest's report gives the test with node id {@code nodeId}:
   * the file path as a dotted module without {@code .py}, then the class and function names, any
   * parameters kept as they are (pytest's {@code mangle_test_address}).
   */
  public static String junitId(String nodeId) {
    int bracket = nodeId.indexOf('[');
    String path = bracket < 0 ? nodeId : nodeId.substring(0, bracket);
    String parameters = bracket < 0 ? "" : nodeId.substring(bracket);
    String[] names = path.split("::", -1);
    names[0] = names[0].replace('/', '.').replaceFirst("\\.py$", "");
    names[names.length - 1] += parameters;
    return String.join(".", names);
  }
}
