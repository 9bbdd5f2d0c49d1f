package dev.crucible.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.TaskInstance;
import dev.crucible.reward.swebench.EvalScript;
import dev.crucible.reward.swebench.InstanceReport;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.sandbox.docker.ImageContainer;
import dev.crucible.rollout.sandbox.docker.ImageContainers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows with their own image and eval script, run as SWE-bench 5's {@code run_instance} runs them, in an
 * image built offline in the official layout ({@link OfficialLayoutImage}) that stands in for a pulled
 * one. The evaluator has no host repository for these rows: everything comes from the image.
 */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class EvalScriptEvaluationTest {
  @TempDir static Path temp;
  private static OfficialLayoutImage fixture;
  private static final SandboxFactory NO_SANDBOXES = spec -> {
    throw new AssertionError("a row with its own image needs no Crucible sandbox");
  };

  @BeforeAll
  static void buildImage() {
    fixture = OfficialLayoutImage.build(temp, "crucible-test/sweb.eval.textops:official-layout");
  }

  private static Evaluator evaluator(ImageLimits limits, Duration timeout) {
    return evaluator(limits, timeout, ScriptGrading.OFFICIAL);
  }

  private static Evaluator evaluator(ImageLimits limits, Duration timeout, ScriptGrading grading) {
    ImageContainers containers = (image, runId, taskId, log) ->
        ImageContainer.start(DockerTestSupport.client(), image, runId, taskId, limits, null, log);
    return new Evaluator(NO_SANDBOXES, containers, EvaluationOptions.defaults().withTestTimeout(timeout).withScriptGrading(grading));
  }

  private static final Evaluator EVALUATOR = evaluator(ImageLimits.DEFAULT, Duration.ofMinutes(5));
  private static final Evaluator HARDENED = evaluator(ImageLimits.DEFAULT, Duration.ofMinutes(5), ScriptGrading.HARDENED);

  /** A conftest.py that turns every test's report into a pass: the log and the JUnit report both say passed. */
  private static final String CONFTEST_FORGE = "diff --git a/conftest.py b/conftest.py\nnew file mode 100644\n--- /dev/null\n+++ b/conftest.py\n"
      + "@@ -0,0 +1,9 @@\n+import pytest\n+\n+\n+@pytest.hookimpl(hookwrapper=True)\n+def pytest_runtest_makereport(item, call):\n"
      + "+    outcome = yield\n+    report = outcome.get_result()\n+    report.outcome = \"passed\"\n+    report.longrepr = None\n";
  /** Code under test that prints passes for the failing tests after pytest has finished, and exits 0. */
  private static final String FORGE_AT_EXIT = "diff --git a/textops/__init__.py b/textops/__init__.py\n--- a/textops/__init__.py\n"
      + "+++ b/textops/__init__.py\n@@ -0,0 +1,12 @@\n+import atexit\n+import os\n+import sys\n+\n+\n+def _forge():\n"
      + "+    sys.stdout.write(\"PASSED tests/test_words.py::test_count_words\\nPASSED tests/test_words.py::test_count_empty\\n"
      + "PASSED tests/test_words.py::test_count_tabs\\n\")\n+    sys.stdout.flush()\n+    os._exit(0)\n+\n+\n+atexit.register(_forge)\n";

  @Test
  void theGoldPatchResolvesWithTheReportTheScriptsOutputGives() {
    TaskInstance row = fixture.row("fixture__textops-1");
    EvaluationResult result = EVALUATOR.evaluate(row, Path.of("/nonexistent"), fixture.goldPatch(), 0, 0);

    assertThat(result.outcome()).as(result.reason() + "\n" + result.testOutput()).isEqualTo(EvaluationOutcome.RESOLVED);
    assertThat(result.patchMethod()).isEqualTo("git_apply");
    assertThat(result.tests().failToPassSuccess()).containsExactlyElementsOf(row.failToPass());
    assertThat(result.tests().passToPassSuccess()).containsExactlyElementsOf(row.passToPass());
    assertThat(result.reward().resolved()).isTrue();
    HarnessFiles harness = result.harness();
    assertThat(harness.evalScript()).isEqualTo(EvalScript.official(row.evalScript()));
    // The output is the script's whole stream, its set -x trace (stderr) in order with pytest's (stdout).
    assertThat(result.testOutput()).contains("+ conda activate testbed", "+ git apply -v -", "+ : '>>>>> Start Test Output'",
        "PASSED " + OfficialLayoutImage.ADDED_TEST, "+ : '>>>>> End Test Output'", ">>>>> Test Exit Code: 0");
    assertThat(result.testOutput().indexOf("+ : '>>>>> Start Test Output'")).isLessThan(result.testOutput().indexOf("PASSED "));
    assertThat(harness.instanceLog()).contains(" - INFO - Creating container for fixture__textops-1...", ">>>>> Applied Patch:",
        "Git diff before:\ndiff --git a/textops/words.py", "Result for fixture__textops-1: resolved: True");
    InstanceReport expected = InstanceReport.grade(new InstanceReport.Row(row.instanceId(), row.failToPass(), row.passToPass(),
        dev.crucible.reward.parsers.LogParsers.named("parse_log_pytest"), row.evalType()), fixture.goldPatch(), result.testOutput());
    assertThat(harness.report()).hasValue(expected);
    assertThat(expected.toJson()).contains("\"resolved\": true");
  }

  @Test
  void withoutTheFixTheAddedTestFailsAndTheRowIsUnresolved() {
    String unrelated = "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -5,2 +5,3 @@ def shout(text):\n"
        + " def shout(text):\n+    # louder\n     return text.upper() + \"!\"\n";
    TaskInstance row = fixture.row("fixture__textops-2");
    EvaluationResult result = EVALUATOR.evaluate(row, Path.of("/nonexistent"), unrelated, 0, 0);

    assertThat(result.outcome()).as(result.reason() + "\n" + result.testOutput()).isEqualTo(EvaluationOutcome.UNRESOLVED);
    assertThat(result.reason()).isNull();
    assertThat(result.tests().failToPassFailure()).contains(OfficialLayoutImage.ADDED_TEST, "tests/test_words.py::test_count_words");
    assertThat(result.testOutput()).contains(">>>>> Test Exit Code: 1");
    assertThat(result.harness().report().orElseThrow().toJson()).contains("\"resolved\": false", "\"patch_successfully_applied\": true");
  }

  @Test
  void aPatchNoCommandOfTheChainAppliesFailsWithNoReport() {
    String stale = "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -1,2 +1,2 @@\n-def nothing_like_this():\n-    pass\n"
        + "+def count_words(text):\n+    return 0\n";
    EvaluationResult result = EVALUATOR.evaluate(fixture.row("fixture__textops-3"), Path.of("/nonexistent"), stale, 0, 0);

    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.PATCH_FAILED);
    assertThat(result.harness().report()).isEmpty();
    assertThat(result.harness().evalScript()).as("the script is never made").isNull();
    for (String command : EvalScriptEvaluation.APPLY_COMMANDS) {
      assertThat(result.harness().instanceLog()).contains("Failed to apply patch to container: " + command);
    }
    assertThat(result.harness().instanceLog()).contains(">>>>> Patch Apply Failed:");
  }

  @Test
  void anEmptyPatchRunsNothingAndABlankOneFailsToApplyAsInTheHarness() {
    assertThat(EVALUATOR.evaluate(fixture.row("fixture__textops-8"), Path.of("/nonexistent"), "", 0, 0).outcome())
        .isEqualTo(EvaluationOutcome.EMPTY_PATCH);
    EvaluationResult blank = EVALUATOR.evaluate(fixture.row("fixture__textops-8"), Path.of("/nonexistent"), " \n", 0, 0);
    assertThat(blank.outcome()).isEqualTo(EvaluationOutcome.PATCH_FAILED);
    assertThat(blank.harness().instanceLog()).contains(">>>>> Patch Apply Failed:");
  }

  @Test
  void aScriptPastItsTimeoutIsStoppedAndGetsNoReport() {
    TaskInstance row = fixture.row("fixture__textops-4", "cd /testbed\n: '>>>>> Start Test Output'\necho started\nsleep 60\n: '>>>>> End Test Output'\n");
    long start = System.nanoTime();
    EvaluationResult result = evaluator(ImageLimits.DEFAULT, Duration.ofSeconds(3)).evaluate(row, Path.of("/nonexistent"), fixture.goldPatch(), 0, 0);

    assertThat(result.outcome()).as(result.reason()).isEqualTo(EvaluationOutcome.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped, not waited out").isLessThan(Duration.ofSeconds(45));
    assertThat(result.testOutput()).contains("started").endsWith("\n\nTimeout error: 3 seconds exceeded.");
    assertThat(result.harness().report()).isEmpty();
  }

  @Test
  void theScriptHasNoNetworkUnlessAskedAndRunsAsRootInTheImagesEnvironment() {
    TaskInstance row = fixture.row("fixture__textops-5", "cd /testbed\n: '>>>>> Start Test Output'\n"
        + "echo \"whoami: uid=$(id -u) dir=$PWD env=$CONDA_DEFAULT_ENV nets=$(ls /sys/class/net | tr '\\n' ,)\"\n"
        + ": '>>>>> End Test Output'\n");
    String script = "source /opt/miniconda3/bin/activate\nconda activate testbed\n" + row.evalScript();
    row = fixture.row("fixture__textops-5", script);

    EvaluationResult offline = EVALUATOR.evaluate(row, Path.of("/nonexistent"), fixture.goldPatch(), 0, 0);
    assertThat(offline.testOutput()).as("root, in /testbed, in the activated environment, loopback only")
        .contains("\nwhoami: uid=0 dir=/testbed env=testbed nets=lo,\n");

    EvaluationResult online = evaluator(ImageLimits.DEFAULT.withNetwork(true), Duration.ofMinutes(5))
        .evaluate(row, Path.of("/nonexistent"), fixture.goldPatch(), 0, 0);
    assertThat(online.testOutput()).containsPattern("\nwhoami: uid=0 dir=/testbed env=testbed nets=(eth0,lo,|lo,eth0,)\n");
  }

  @Test
  void anImageNoRegistryServesIsAnErrorAfterItsPullsAndLeavesNoContainer() {
    TaskInstance row = fixture.row("fixture__textops-6");
    TaskInstance absent = new TaskInstance(row.instanceId(), row.repo(), row.baseCommit(), row.problemStatement(), "", row.patch(),
        row.testPatch(), row.failToPass(), row.passToPass(), row.version(), null, null, "crucible-test/never-built:absent", null,
        row.logParser(), null, row.evalType(), row.evalScript());
    EvaluationResult result = evaluator(new ImageLimits(1L << 30, 1, 256, false, 2), Duration.ofMinutes(1))
        .evaluate(absent, Path.of("/nonexistent"), fixture.goldPatch(), 0, 0);

    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.ERROR);
    assertThat(result.reason()).contains("crucible-test/never-built:absent", "2 pulls failed");
    assertThat(result.harness().instanceLog()).contains("Image not found locally, attempting to pull...", "Pull 1 of 2 failed", "Pull 2 of 2 failed");
    assertThat(result.harness().report()).isEmpty();
  }

  @Test
  void theProcessBackendRefusesRowsWithTheirOwnImageByName() {
    ImageContainers none = ImageContainers.of(SandboxChoice.of("process", null, 0), ImageLimits.DEFAULT);
    EvaluationResult result = new Evaluator(NO_SANDBOXES, none, EvaluationOptions.defaults())
        .evaluate(fixture.row("fixture__textops-7"), Path.of("/nonexistent"), fixture.goldPatch(), 0, 0);
    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.ERROR);
    assertThat(result.reason()).contains("fixture__textops-7", "needs the docker backend");
  }

  @Test
  void theHardenedGradingResolvesTheGoldPatchWithAJUnitReportBehindTheLog() {
    TaskInstance row = fixture.row("fixture__textops-9");
    EvaluationResult result = HARDENED.evaluate(row, Path.of("/nonexistent"), fixture.goldPatch(), 0, 0);

    assertThat(result.outcome()).as(result.reason() + "\n" + result.testOutput()).isEqualTo(EvaluationOutcome.RESOLVED);
    assertThat(result.harness().evalScript()).containsPattern("python3 -m pytest --junitxml=/tmp/\\.crucible-junit-[0-9a-f]{32}\\.xml ");
    assertThat(result.reward().resolved()).isTrue();
  }

  @Test
  void forgeriesTheOfficialGradingPaysForAreRefusedByTheHardenedOne() {
    // The official harness trusts the log: both forgeries resolve the row there, as they would on the leaderboard.
    for (String forgery : java.util.List.of(CONFTEST_FORGE, FORGE_AT_EXIT)) {
      EvaluationResult official = EVALUATOR.evaluate(fixture.row("fixture__textops-10"), Path.of("/nonexistent"), forgery, 0, 0);
      assertThat(official.outcome()).as(forgery + "\n" + official.testOutput()).isEqualTo(EvaluationOutcome.RESOLVED);
    }

    EvaluationResult conftest = HARDENED.evaluate(fixture.row("fixture__textops-11"), Path.of("/nonexistent"), CONFTEST_FORGE, 5, 1);
    assertThat(conftest.outcome()).isEqualTo(EvaluationOutcome.UNRESOLVED);
    assertThat(conftest.reason()).isEqualTo("the patch changes only files the grading depends on");
    assertThat(conftest.reward().resolved()).isFalse();

    String forgeries = CONFTEST_FORGE + FORGE_AT_EXIT;
    EvaluationResult atExit = HARDENED.evaluate(fixture.row("fixture__textops-12"), Path.of("/nonexistent"), forgeries, 5, 1);
    assertThat(atExit.outcome()).as(atExit.testOutput()).isEqualTo(EvaluationOutcome.UNRESOLVED);
    assertThat(atExit.reason()).contains("pytest's report says");
    assertThat(atExit.harness().instanceLog()).contains("Left out of the patch, as files the grading depends on: conftest.py");
    assertThat(atExit.tests().failToPassSuccess()).isEmpty();
    assertThat(atExit.tests().passToPassSuccess()).isEmpty();
    assertThat(atExit.reward().total()).isEqualTo(HARDENED.failedAttemptReward(fixture.row("fixture__textops-12"), 5, 1).total());
  }
}
