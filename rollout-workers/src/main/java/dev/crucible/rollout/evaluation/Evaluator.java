package dev.crucible.rollout.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.TaskInstance;
import dev.crucible.reward.grading.ProtectedFiles;
import dev.crucible.reward.grading.RunEvidence;
import dev.crucible.reward.grading.SweBenchGrader;
import dev.crucible.reward.grading.TestsReport;
import dev.crucible.reward.parsers.JUnitXmlLogParser;
import dev.crucible.reward.parsers.LogParsers;
import dev.crucible.reward.parsers.TestStatus;
import dev.crucible.reward.signals.ChangedLineCoverage;
import dev.crucible.reward.signals.CompositeReward;
import dev.crucible.reward.signals.LintIssues;
import dev.crucible.reward.signals.UnifiedDiff;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.ShellQuote;
import dev.crucible.rollout.sandbox.docker.ImageContainers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Evaluates one patch for one task in a fresh sandbox, with SWE-bench semantics. A row with its own
 * {@code image} and {@code eval_script} (SWE-bench 5's) runs as the official harness runs it
 * ({@link EvalScriptEvaluation}); a task with a {@code test_cmd} runs hardened:
 *
 * <ol>
 *   <li>an empty patch is {@code EMPTY_PATCH} and runs nothing;
 *   <li>the model patch goes in with {@code git apply}, else {@code patch --fuzz}, else
 *       {@code PATCH_FAILED};
 *   <li>every file the grading depends on goes back to the base commit's version, whatever the patch
 *       did to it ({@link TestFileRestorer}, {@link dev.crucible.reward.grading.ProtectedFiles});
 *   <li>the task's {@code test_patch} goes in (a task whose test patch does not apply is an
 *       {@code ERROR});
 *   <li>the Python files the model patch touches are linted before and after it goes in;
 *   <li>{@code test_cmd} runs as the sandbox's unprivileged user, under coverage.py and with a JUnit
 *       report to a random path when it is a pytest command; past the timeout it is {@code TIMEOUT};
 *   <li>the run must hold up as evidence ({@link RunEvidence}: results in the log, an exit code that
 *       agrees, pytest's report): otherwise {@code UNRESOLVED} with the reason and every graded test
 *       counted as failing;
 *   <li>the log is parsed by the task's parser and graded: {@code RESOLVED} or {@code UNRESOLVED}.
 * </ol>
 *
 * A sandbox failure that a retry can help is retried in a new sandbox up to
 * {@link EvaluationOptions#maxAttempts()} times; then, or at once for one that cannot be helped, the
 * result is an {@code ERROR} with the reason. A failure the patch's own code caused while the tests
 * ran (it filled the sandbox's memory until the OOM killer stopped it) is {@code UNRESOLVED}, not an
 * error: the patch is graded as failing.
 */
public final class Evaluator {
  /** A leading pytest invocation, which coverage.py can wrap. */
  private static final Pattern PYTEST_COMMAND = Pattern.compile("^(?:python3? -m pytest|pytest)(\\s|$)");
  private static final String COVERAGE_DATA = "/tmp/crucible.coverage";
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Names each run's JUnit report, so the code under test cannot know where it goes in advance. */
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SandboxFactory sandboxes;
  private final ImageContainers images;
  private final EvaluationOptions options;

  /** An evaluator of tasks run by their {@code test_cmd}; a row that brings its own image is an error. */
  public Evaluator(SandboxFactory sandboxes, EvaluationOptions options) {
    this(sandboxes, (image, runId, taskId, log) -> {
      throw new SandboxException(SandboxException.Kind.IMAGE_NOT_FOUND, "task '" + taskId + "' runs in its own image " + image
          + ", and this evaluator has no containers for such images");
    }, options);
  }

  /**
   * An evaluator of both kinds of task: those run by their {@code test_cmd} in {@code sandboxes}, and rows
   * with their own {@code image} and {@code eval_script}, run as SWE-bench's harness runs them in
   * containers from {@code images} ({@link EvalScriptEvaluation}).
   */
  public Evaluator(SandboxFactory sandboxes, ImageContainers images, EvaluationOptions options) {
    this.sandboxes = sandboxes;
    this.images = images;
    this.options = options;
  }

  /**
   * Evaluates {@code patch} for {@code task}, whose repository is the git repository at {@code repository}.
   * An empty patch runs nothing; so does a blank one, except for a row run by its own eval script, where
   * the harness tries to apply it (and fails) as it does.
   *
   * @param tokens tokens the policy spent producing the patch, for the reward (0 when unknown)
   * @param steps agent steps taken (0 when unknown)
   */
  public EvaluationResult evaluate(TaskInstance task, Path repository, String patch, long tokens, int steps) {
    long start = System.nanoTime();
    if (patch == null || patch.isEmpty() || (patch.isBlank() && !task.runsItsEvalScript())) {
      return new EvaluationResult(task.instanceId(), EvaluationOutcome.EMPTY_PATCH, null, PatchApplier.NOT_APPLIED, null, "", null, 0, 0);
    }
    if (task.runsItsEvalScript()) {
      return new EvalScriptEvaluation(images, options).evaluate(task, patch, tokens, steps);
    }
    return attempts(task, repository, patch, tokens, steps, start);
  }

  /** Tries up to {@link EvaluationOptions#maxAttempts()} sandboxes; {@code patch} null means none. */
  private EvaluationResult attempts(TaskInstance task, Path repository, String patch, long tokens, int steps, long start) {
    SandboxException last = null;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      try {
        Attempt result = attempt(task, repository, patch, tokens, steps);
        return result.toResult(task.instanceId(), attempt, millisSince(start));
      } catch (SandboxException e) {
        last = e;
        if (!e.retryable()) {
          break;
        }
      }
    }
    return sandboxFailure(task.instanceId(), last, options.maxAttempts(), millisSince(start), null);
  }

  /**
   * The {@code ERROR} of an evaluation whose sandboxes failed: {@code last} ended the tries, after all
   * {@code maxAttempts} when it was a failure a retry can help, else at once.
   *
   * @param harness the harness files of a row run by its eval script, or null
   */
  static EvaluationResult sandboxFailure(String instanceId, SandboxException last, int maxAttempts, long millis, HarnessFiles harness) {
    String reason = "sandbox failure" + (last.retryable() ? " after " + maxAttempts + " attempts" : "") + ": " + last.getMessage();
    return new EvaluationResult(instanceId, EvaluationOutcome.ERROR, reason, PatchApplier.NOT_APPLIED, null, "", null,
        last.retryable() ? maxAttempts : 1, millis, harness);
  }

  /**
   * Runs the task's tests with no model patch (the test patch still goes in): the check that a task
   * is not already solved at its base commit. The result is graded as usual; its patch method is
   * {@code none}.
   */
  public EvaluationResult evaluateWithoutPatch(TaskInstance task, Path repository) {
    if (task.runsItsEvalScript()) {
      return new EvalScriptEvaluation(images, options).evaluate(task, null, 0, 0);
    }
    return attempts(task, repository, null, 0, 0, System.nanoTime());
  }

  /** What one sandbox found, before it becomes an {@link EvaluationResult}. */
  private record Attempt(
      EvaluationOutcome outcome, String reason, String patchMethod, TestsReport tests, String testOutput, RewardBreakdown reward) {

    EvaluationResult toResult(String instanceId, int attempts, long millis) {
      return new EvaluationResult(instanceId, outcome, reason, patchMethod, tests, testOutput, reward, attempts, millis);
    }
  }

  private Attempt attempt(TaskInstance task, Path repository, String patch, long tokens, int steps) {
    SandboxSpec spec =
        SandboxSpec.builder()
            .image(task.image() == null ? SandboxSpec.DEFAULT_IMAGE : task.image())
            .repository(repository)
            .baseCommit(task.baseCommit())
            .runId("evaluate")
            .taskId(task.instanceId())
            .gitRepository(false)
            .build();
    Map<String, SortedSet<Integer>> changed = patch == null ? Map.of() : sourceChanges(task, UnifiedDiff.changedLines(patch));
    List<String> linted = options.measureLint() ? pythonFiles(changed) : List.of();
    try (Sandbox sandbox = sandboxes.create(spec)) {
      int lintBefore = lintIssues(sandbox, linted);
      String method = patch == null ? PatchApplier.NOT_APPLIED : PatchApplier.apply(sandbox, patch);
      if (patch != null && method.equals(PatchApplier.NOT_APPLIED)) {
        return new Attempt(EvaluationOutcome.PATCH_FAILED, "the patch applies neither with git apply nor with patch --fuzz", method, null, "", null);
      }
      if (patch != null) {
        TestFileRestorer.restore(sandbox, task, repository);
      }
      if (!task.testPatch().isBlank() && PatchApplier.apply(sandbox, task.testPatch()).equals(PatchApplier.NOT_APPLIED)) {
        return new Attempt(EvaluationOutcome.ERROR, "the task's test_patch does not apply", method, null, "", null);
      }
      int lint = LintIssues.introduced(lintBefore, lintIssues(sandbox, linted));
      boolean pytest = runsPytest(task.testCmd());
      boolean coverage = options.measureCoverage() && pytest;
      String report = randomReportName();
      String command = pytest ? withJunitReport(task.testCmd(), sandbox.workdir() + "/" + report) : task.testCmd();
      ExecResult run;
      try {
        run = sandbox.exec(coverage ? underCoverage(command) : command, options.testTimeout());
      } catch (SandboxException e) {
        if (!e.kind().causedByAgent()) {
          throw e;
        }
        return failedByThePatch(task, "the tests stopped the sandbox: " + e.getMessage(), method, "", lint, tokens, steps);
      }
      String output = run.stdout() + (run.stderr().isEmpty() ? "" : "\n" + run.stderr());
      if (run.timedOut()) {
        return new Attempt(
            EvaluationOutcome.TIMEOUT, "the tests ran past " + options.testTimeout().toSeconds() + " s", method, null, output, null);
      }
      Map<String, TestStatus> log = LogParsers.named(task.logParser(), task.instanceId(), task.version()).parse(output);
      Map<String, TestStatus> junit = pytest ? junitReport(sandbox, report) : null;
      Optional<String> refusal =
          RunEvidence.refusal(new RunEvidence.Run(run.exitCode(), log, pytest, junit), task.failToPass(), task.passToPass());
      if (refusal.isPresent()) {
        return failedByThePatch(task, refusal.get(), method, output, lint, tokens, steps);
      }
      TestsReport tests = SweBenchGrader.grade(task.failToPass(), task.passToPass(), log, task.evalType());
      Double covered = coverage ? changedLineCoverage(sandbox, changed) : null;
      RewardBreakdown reward = CompositeReward.compute(tests, covered, lint, tokens, steps, 0.0, options.weights());
      EvaluationOutcome outcome = reward.resolved() ? EvaluationOutcome.RESOLVED : EvaluationOutcome.UNRESOLVED;
      return new Attempt(outcome, null, method, tests, output, reward);
    }
  }

  /** {@code UNRESOLVED} with every graded test failing: a run whose evidence did not hold, or one the patch broke. */
  private Attempt failedByThePatch(
      TaskInstance task, String reason, String method, String output, int lint, long tokens, int steps) {
    TestsReport tests = nothingPassed(task);
    return new Attempt(
        EvaluationOutcome.UNRESOLVED, reason, method, tests, output,
        CompositeReward.compute(tests, null, lint, tokens, steps, 0.0, options.weights()));
  }

  /** An evaluator like this one that runs only the tests: no coverage, no lint (a progress grading's). */
  public Evaluator testsOnly() {
    return new Evaluator(sandboxes, images,
        new EvaluationOptions(options.testTimeout(), options.maxAttempts(), false, false, options.weights(), options.scriptGrading()));
  }

  /** {@code reward} with these progress and milestone rewards, its total weighted anew. */
  public RewardBreakdown withShaping(RewardBreakdown reward, double progress, double milestones) {
    return CompositeReward.withShaping(reward, progress, milestones, options.weights());
  }

  /**
   * The reward of an attempt that passes none of the graded tests, with these tokens and steps: what a
   * patch the grading refused earns, and what an episode the agent itself ended without a gradable
   * patch earns (an {@code agent_error}), so neither pays better than an honest failure.
   */
  public RewardBreakdown failedAttemptReward(TaskInstance task, long tokens, int steps) {
    return CompositeReward.compute(nothingPassed(task), null, 0, tokens, steps, 0.0, options.weights());
  }

  /** The grades of a run in which none of the task's tests passed. */
  static TestsReport nothingPassed(TaskInstance task) {
    return SweBenchGrader.grade(task.failToPass(), task.passToPass(), Map.of());
  }

  /** The statuses in pytest's JUnit report, or null when there is none to read. */
  private static Map<String, TestStatus> junitReport(Sandbox sandbox, String report) {
    try {
      return new JUnitXmlLogParser().parse(new String(sandbox.readFile(report), StandardCharsets.UTF_8));
    } catch (SandboxException e) {
      if (e.kind().isRequestError()) {
        return null;
      }
      throw e;
    }
  }

  /** Whether {@code testCommand} runs pytest, and so can write a JUnit report. */
  static boolean runsPytest(String testCommand) {
    return PYTEST_COMMAND.matcher(testCommand).find();
  }

  /** A file name for a JUnit report that the tested code cannot guess before it runs. */
  static String randomReportName() {
    return ".crucible-junit-" + HexFormat.of().formatHex(randomBytes()) + ".xml";
  }

  /** The pytest command with its JUnit report written to {@code path}, as pytest writes it at the end of the session. */
  static String withJunitReport(String testCommand, String path) {
    Matcher pytest = PYTEST_COMMAND.matcher(testCommand);
    if (!pytest.find()) {
      throw new IllegalArgumentException("not a pytest command: " + testCommand);
    }
    int end = pytest.end() - pytest.group(1).length();
    return testCommand.substring(0, end) + " --junitxml=" + path + " -o junit_family=xunit1" + testCommand.substring(end);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * The changes outside the files the grading restores: lines in those are undone before the tests
   * run, so they earn no coverage and are not linted.
   */
  private static Map<String, SortedSet<Integer>> sourceChanges(TaskInstance task, Map<String, SortedSet<Integer>> changed) {
    Set<String> named = ProtectedFiles.ofTask(task.failToPass(), task.passToPass(), task.testPatch());
    Map<String, SortedSet<Integer>> source = new LinkedHashMap<>(changed);
    source.keySet().removeIf(path -> ProtectedFiles.byName(path) || named.contains(path));
    return source;
  }

  /** The pytest command run by coverage.py, for example {@code python3 -m coverage run … -m pytest -rA}. */
  static String underCoverage(String testCommand) {
    Matcher pytest = PYTEST_COMMAND.matcher(testCommand);
    if (!pytest.find()) {
      throw new IllegalArgumentException("not a pytest command: " + testCommand);
    }
    return "python3 -m coverage run --data-file=" + COVERAGE_DATA + " -m pytest" + testCommand.substring(pytest.end() - pytest.group(1).length());
  }

  private static List<String> pythonFiles(Map<String, SortedSet<Integer>> changed) {
    return changed.keySet().stream().filter(path -> path.endsWith(".py")).toList();
  }

  /** pyflakes issues in those of {@code files} that exist now; the evaluation runs it before and after the patch. */
  private static int lintIssues(Sandbox sandbox, List<String> files) {
    if (files.isEmpty()) {
      return 0;
    }
    String quoted = files.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    ExecResult lint =
        sandbox.exec("for f in " + quoted + "; do [ -f \"$f\" ] && python3 -m pyflakes \"$f\"; done; true", STEP_TIMEOUT);
    return LintIssues.count(lint.stdout());
  }

  private static Double changedLineCoverage(Sandbox sandbox, Map<String, SortedSet<Integer>> changed) {
    ExecResult report =
        sandbox.exec(
            "python3 -m coverage json -q --data-file=" + COVERAGE_DATA + " -o /tmp/crucible-coverage.json && cat /tmp/crucible-coverage.json",
            STEP_TIMEOUT);
    if (!report.succeeded()) {
      return null;
    }
    try {
      return ChangedLineCoverage.fraction(changed, MAPPER.readTree(report.stdout()));
    } catch (JsonProcessingException e) {
      // A report too large for the output limit arrives truncated; coverage is then unknown.
      return null;
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
