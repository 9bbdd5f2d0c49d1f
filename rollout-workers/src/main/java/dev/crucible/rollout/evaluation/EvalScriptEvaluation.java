package dev.crucible.rollout.evaluation;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.TaskInstance;
import dev.crucible.reward.grading.PatchFiles;
import dev.crucible.reward.grading.ProtectedFiles;
import dev.crucible.reward.grading.RunEvidence;
import dev.crucible.reward.grading.TestsReport;
import dev.crucible.reward.parsers.JUnitXmlLogParser;
import dev.crucible.reward.parsers.LogParser;
import dev.crucible.reward.parsers.LogParsers;
import dev.crucible.reward.parsers.TestStatus;
import dev.crucible.reward.signals.CompositeReward;
import dev.crucible.reward.swebench.EvalScript;
import dev.crucible.reward.swebench.HarnessLog;
import dev.crucible.reward.swebench.InstanceReport;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.docker.ImageContainer;
import dev.crucible.rollout.sandbox.docker.ImageContainers;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates a patch for a row that brings its own environment (SWE-bench 5's {@code image} and
 * {@code eval_script}), step for step as the official {@code run_instance} does:
 *
 * <ol>
 *   <li>a container of the row's image (pulled when missing), the patch copied to {@code /tmp/patch.diff};
 *   <li>the patch applied in {@code /testbed} by the first of {@link #APPLY_COMMANDS} that succeeds, the tree
 *       reset between tries; when all fail, a reverse check may find it applied anyway; else
 *       {@code PATCH_FAILED}, with no report;
 *   <li>the row's script made into {@code /eval.sh} ({@link EvalScript}) and run by {@code /bin/bash}, its
 *       stdout and stderr as one stream: the test output; past the timeout it is {@code TIMEOUT}, with no
 *       report;
 *   <li>the output graded as the harness grades its file ({@link InstanceReport}): {@code RESOLVED} or
 *       {@code UNRESOLVED}, with the report the harness would write.
 * </ol>
 *
 * A container failure a retry can help is retried in a new container, up to the options' attempts. The
 * reward counts the graded tests (no coverage or lint: the script's test command is the row's own).
 * Binary {@code image_assets} are not staged: rows that need them fail their tests here.
 */
final class EvalScriptEvaluation {
  /** SWE-bench 5's {@code GIT_APPLY_CMDS}, each followed by the patch file. */
  static final List<String> APPLY_COMMANDS =
      List.of("git apply --verbose", "git apply --verbose --3way", "git apply --verbose --reject", "patch --batch --forward --fuzz=5 -p1 -i");
  /** The patch method each of {@link #APPLY_COMMANDS} is recorded as. */
  private static final List<String> METHODS = List.of(PatchApplier.GIT_APPLY, "git_apply_3way", "git_apply_reject", PatchApplier.PATCH_FUZZ);
  static final String ALREADY_APPLIED = "already_applied";
  static final String PATCH_FILE = "/tmp/patch.diff";
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
  private static final String APPLY_PATCH_PASS = ">>>>> Applied Patch";
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS", Locale.ROOT);

  private final ImageContainers containers;
  private final EvaluationOptions options;

  EvalScriptEvaluation(ImageContainers containers, EvaluationOptions options) {
    this.containers = containers;
    this.options = options;
  }

  /** Evaluates {@code patch}, or with {@code patch} null the tests alone at the base (the harness's {@code --no-patch}). */
  EvaluationResult evaluate(TaskInstance task, String patch, long tokens, int steps) {
    long start = System.nanoTime();
    Log log = new Log();
    SandboxException last = null;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      try {
        return attempt(task, patch, tokens, steps, log).toResult(task.instanceId(), attempt, millisSince(start));
      } catch (SandboxException e) {
        last = e;
        log.info("Error in evaluating model for " + task.instanceId() + ": " + e.getMessage());
        if (!e.retryable()) {
          break;
        }
      }
    }
    return Evaluator.sandboxFailure(
        task.instanceId(), last, options.maxAttempts(), millisSince(start), new HarnessFiles(log.evalScript, log.text(), Optional.empty()));
  }

  /** What one container found, before it becomes an {@link EvaluationResult}. */
  private record Attempt(
      EvaluationOutcome outcome, String reason, String method, InstanceReport report, String testOutput, RewardBreakdown reward, Log log,
      TestsReport tests) {

    /** An attempt graded by its report (or by nothing, without one). */
    Attempt(EvaluationOutcome outcome, String reason, String method, InstanceReport report, String testOutput, RewardBreakdown reward, Log log) {
      this(outcome, reason, method, report, testOutput, reward, log, report == null ? null : report.tests().orElse(null));
    }

    EvaluationResult toResult(String instanceId, int attempts, long millis) {
      return new EvaluationResult(instanceId, outcome, reason, method, tests, testOutput,
          reward, attempts, millis, new HarnessFiles(log.evalScript, log.text(), Optional.ofNullable(report)));
    }
  }

  private Attempt attempt(TaskInstance task, String patch, long tokens, int steps, Log log) {
    String id = task.instanceId();
    boolean hardened = options.scriptGrading() == ScriptGrading.HARDENED;
    String applied = patch;
    if (hardened && patch != null) {
      Set<String> named = ProtectedFiles.ofTask(task.failToPass(), task.passToPass(), task.testPatch());
      Optional<PatchFiles.Kept> kept = PatchFiles.without(patch, path -> ProtectedFiles.byName(path) || named.contains(path));
      if (kept.isEmpty()) {
        return refused(task, "the patch is not a git diff, which the hardened grading needs", PatchApplier.NOT_APPLIED, "", tokens, steps,
            null, log);
      }
      if (!kept.get().dropped().isEmpty()) {
        log.info("Left out of the patch, as files the grading depends on: " + String.join(", ", kept.get().dropped()));
      }
      applied = kept.get().patch();
      if (applied.isBlank()) {
        return refused(task, "the patch changes only files the grading depends on", PatchApplier.NOT_APPLIED, "", tokens, steps, null, log);
      }
    }
    log.info("Creating container for " + id + "...");
    try (ImageContainer container = containers.start(task.image(), "evaluate", id, log::info)) {
      String method = PatchApplier.NOT_APPLIED;
      if (applied == null) {
        log.info("Skipping model patch for " + id + " (--no-patch mode)");
      } else {
        container.write(PATCH_FILE, applied.getBytes(UTF_8));
        log.info("Intermediate patch for " + id + " written to patch.diff, now applying to container...");
        method = apply(container, log);
      }
      if (method == null) {
        return new Attempt(EvaluationOutcome.PATCH_FAILED, "the patch applies with none of: " + String.join(", ", APPLY_COMMANDS), PatchApplier.NOT_APPLIED,
            null, "", null, log);
      }
      log.info("Git diff before:\n" + diff(container));
      String junit = "/tmp/" + Evaluator.randomReportName();
      String script = hardened
          ? EvalScript.withTestCommand(task.evalScript(), line -> Evaluator.runsPytest(line) ? Evaluator.withJunitReport(line, junit) : line)
          : task.evalScript();
      boolean pytest = !script.equals(task.evalScript());
      log.evalScript = EvalScript.official(script);
      log.info("Eval script for " + id + " written to eval.sh; copying to container...");
      container.write("/eval.sh", log.evalScript.getBytes(UTF_8));
      ImageContainer.Run run = container.run(List.of("/bin/bash", "/eval.sh"), null, options.testTimeout());
      log.info(String.format(Locale.ROOT, "Test runtime: %s seconds", pythonSeconds(run.millis())));
      if (run.timedOut()) {
        String output = run.output() + "\n\nTimeout error: " + options.testTimeout().toSeconds() + " seconds exceeded.";
        log.info("Test timed out after " + options.testTimeout().toSeconds() + " seconds.");
        return new Attempt(EvaluationOutcome.TIMEOUT, "the eval script ran past " + options.testTimeout().toSeconds() + " s", method, null, output, null, log);
      }
      String after = diff(container);
      log.info("Git diff after:\n" + after);
      log.info("Grading answer for " + id + "...");
      LogParser parser = LogParsers.named(task.logParser(), id, task.version());
      InstanceReport report = InstanceReport.grade(
          new InstanceReport.Row(id, task.failToPass(), task.passToPass(), parser, task.evalType()), patch == null ? "" : patch, run.output());
      log.info("Result for " + id + ": resolved: " + (report.resolved() ? "True" : "False"));
      if (hardened && report.tests().isPresent()) {
        Optional<String> refusal = RunEvidence.refusal(
            new RunEvidence.Run(recordedExitCode(run.output()), HarnessLog.read(run.output(), parser).statuses(), pytest,
                pytest ? junitReport(container, junit) : null),
            task.failToPass(), task.passToPass());
        if (refusal.isPresent()) {
          log.info("Refused by the hardened grading: " + refusal.get());
          return refused(task, refusal.get(), method, run.output(), tokens, steps, report, log);
        }
      }
      RewardBreakdown reward = CompositeReward.compute(
          report.tests().orElseGet(() -> Evaluator.nothingPassed(task)), null, 0, tokens, steps, 0.0,
          options.weights());
      EvaluationOutcome outcome = report.resolved() ? EvaluationOutcome.RESOLVED : EvaluationOutcome.UNRESOLVED;
      return new Attempt(outcome, report.refusal().orElse(null), method, report, run.output(), reward, log);
    }
  }

  /**
   * {@code UNRESOLVED} with every graded test failing, for a patch or run the hardened grading refuses;
   * {@code report} is the official one, kept for the record.
   */
  private Attempt refused(
      TaskInstance task, String reason, String method, String output, long tokens, int steps, InstanceReport report, Log log) {
    TestsReport nothing = Evaluator.nothingPassed(task);
    return new Attempt(EvaluationOutcome.UNRESOLVED, reason, method, report, output,
        CompositeReward.compute(nothing, null, 0, tokens, steps, 0.0, options.weights()), log, nothing);
  }

  /** The exit code the eval script recorded for its test command; one that cannot be read counts as a failure. */
  private static int recordedExitCode(String output) {
    return HarnessLog.exitCode(output).map(code -> code.bitLength() < 31 ? code.intValue() : 1).orElse(1);
  }

  /** The statuses in the JUnit report pytest wrote at {@code path}, or null when it wrote none. */
  private static Map<String, TestStatus> junitReport(ImageContainer container, String path) {
    ImageContainer.Run read = container.run(List.of("cat", path), null, STEP_TIMEOUT);
    return read.exitCode() == 0 ? new JUnitXmlLogParser().parse(read.output()) : null;
  }

  /** Applies {@link #PATCH_FILE} as the harness does; returns the method that worked, or null. */
  private static String apply(ImageContainer container, Log log) {
    ImageContainer.Run last = null;
    for (int i = 0; i < APPLY_COMMANDS.size(); i++) {
      if (i > 0) {
        // A failed try (--reject above all) leaves a partial change behind: start again from a clean tree.
        container.run(List.of("/bin/bash", "-c", "git checkout -- . ; git clean -fd"), ImageContainer.TESTBED, STEP_TIMEOUT);
      }
      List<String> command = new java.util.ArrayList<>(List.of(APPLY_COMMANDS.get(i).split(" ")));
      command.add(PATCH_FILE);
      last = container.run(command, ImageContainer.TESTBED, STEP_TIMEOUT);
      if (last.exitCode() == 0) {
        log.info(APPLY_PATCH_PASS + ":\n" + last.output());
        return METHODS.get(i);
      }
      log.info("Failed to apply patch to container: " + APPLY_COMMANDS.get(i));
    }
    // The chain can leave the patch wholly applied while every command exited non-zero.
    if (container.run(List.of("git", "apply", "--check", "--reverse", PATCH_FILE), ImageContainer.TESTBED, STEP_TIMEOUT).exitCode() == 0) {
      log.info(APPLY_PATCH_PASS + ": verified already applied");
      return ALREADY_APPLIED;
    }
    log.info(HarnessLog.APPLY_PATCH_FAIL + ":\n" + last.output());
    return null;
  }

  private static String diff(ImageContainer container) {
    return container.run(List.of("git", "-c", "core.fileMode=false", "diff"), ImageContainer.TESTBED, STEP_TIMEOUT).output().strip();
  }

  /** Seconds as Python's {@code f"{seconds:_.2f}"} writes them: two decimals, thousands joined by underscores. */
  static String pythonSeconds(long millis) {
    String fixed = String.format(Locale.ROOT, "%,.2f", millis / 1000.0);
    return fixed.replace(',', '_');
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** {@code run_instance.log} as it grows, in the harness's format, and the eval script once made. */
  private static final class Log {
    private final StringBuilder text = new StringBuilder();
    private String evalScript;

    void info(String message) {
      text.append(LocalDateTime.now().format(LOG_TIME)).append(" - INFO - ").append(message).append('\n');
    }

    String text() {
      return text.toString();
    }
  }
}
