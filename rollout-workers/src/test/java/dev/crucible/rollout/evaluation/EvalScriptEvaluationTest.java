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
    ImageContainers containers = (image, runId, taskId, log) ->
        ImageContainer.start(DockerTestSupport.client(), image, runId, taskId, limits, null, log);
    return new Evaluator(NO_SANDBOXES, containers, EvaluationOptions.defaults().withTestTimeout(timeout));
  }

  private static final Evaluator EVALUATOR = evaluator(ImageLimits.DEFAULT, Duration.ofMinutes(5));

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
}
