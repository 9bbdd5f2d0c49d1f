package dev.crucible.data;

import java.util.List;
import java.util.Objects;

/**
 * One task in the SWE-bench schema, plus where its environment comes from.
 *
 * <p>The SWE-bench fields keep their published meaning: the repository at {@code baseCommit} has the
 * bug, {@code patch} is the gold fix, {@code testPatch} adds the tests that judge it,
 * {@code failToPass} must go from failing to passing and {@code passToPass} must keep passing.
 *
 * @param instanceId unique id, for example {@code astropy__astropy-12907}
 * @param repo repository name, for example {@code astropy/astropy}
 * @param baseCommit commit the episode starts from
 * @param problemStatement the issue text shown to the agent
 * @param hintsText extra hints; empty when there are none
 * @param patch the gold patch (unified diff); may be empty for tasks without one
 * @param testPatch the diff that adds or changes tests; empty when the tests already exist
 * @param failToPass tests that must fail before the fix and pass after it
 * @param passToPass tests that must pass both before and after
 * @param version the repository version label, or {@code null}
 * @param environmentSetupCommit commit used to build the environment, or {@code null}
 * @param createdAt creation time as published (ISO-8601 text), or {@code null}
 * @param image sandbox image to run the task in, or {@code null} for the default image
 * @param testCmd command that runs the tests, or {@code null} when not yet known
 * @param logParser name of the test-log parser, or {@code null} when not yet known
 * @param hintLevel how much of the fix the problem statement gives away, for tasks of the task
 *     factory; {@code null} for tasks from elsewhere
 * @param evalType how SWE-bench 5 grades the row's tests ({@code eval_type}); pass and fail when
 *     the row gives none
 * @param evalScript SWE-bench 5's {@code eval_script}, the bash script that applies the test patch
 *     and runs the tests in the row's prebuilt image, or {@code null} for a row without one
 */
public record TaskInstance(
    String instanceId,
    String repo,
    String baseCommit,
    String problemStatement,
    String hintsText,
    String patch,
    String testPatch,
    List<String> failToPass,
    List<String> passToPass,
    String version,
    String environmentSetupCommit,
    String createdAt,
    String image,
    String testCmd,
    String logParser,
    HintLevel hintLevel,
    EvalType evalType,
    String evalScript) {

  public TaskInstance {
    Checks.requirePathSafe(instanceId, "instance_id");
    Checks.requireText(repo, "repo");
    for (String part : repo.split("/", -1)) {
      Checks.requirePathSafe(part, "repo");
    }
    Checks.requireText(baseCommit, "baseCommit");
    Objects.requireNonNull(problemStatement, "problemStatement");
    hintsText = hintsText == null ? "" : hintsText;
    Objects.requireNonNull(patch, "patch");
    Objects.requireNonNull(testPatch, "testPatch");
    failToPass = List.copyOf(failToPass);
    passToPass = List.copyOf(passToPass);
    evalType = evalType == null ? EvalType.PASS_AND_FAIL : evalType;
  }

  /** A task without SWE-bench 5's evaluation fields, as Crucible's task factory makes them. */
  public TaskInstance(
      String instanceId,
      String repo,
      String baseCommit,
      String problemStatement,
      String hintsText,
      String patch,
      String testPatch,
      List<String> failToPass,
      List<String> passToPass,
      String version,
      String environmentSetupCommit,
      String createdAt,
      String image,
      String testCmd,
      String logParser,
      HintLevel hintLevel) {
    this(instanceId, repo, baseCommit, problemStatement, hintsText, patch, testPatch, failToPass, passToPass, version,
        environmentSetupCommit, createdAt, image, testCmd, logParser, hintLevel, EvalType.PASS_AND_FAIL, null);
  }

  /** A task with no recorded hint level, as published datasets have them. */
  public TaskInstance(
      String instanceId,
      String repo,
      String baseCommit,
      String problemStatement,
      String hintsText,
      String patch,
      String testPatch,
      List<String> failToPass,
      List<String> passToPass,
      String version,
      String environmentSetupCommit,
      String createdAt,
      String image,
      String testCmd,
      String logParser) {
    this(instanceId, repo, baseCommit, problemStatement, hintsText, patch, testPatch, failToPass, passToPass, version,
        environmentSetupCommit, createdAt, image, testCmd, logParser, null);
  }

  /** Whether the row brings its own environment, as SWE-bench 5 rows do: an {@code image} and an {@code eval_script} to run in it. */
  public boolean runsItsEvalScript() {
    return evalScript != null && !evalScript.isBlank() && image != null && !image.isBlank();
  }
}
