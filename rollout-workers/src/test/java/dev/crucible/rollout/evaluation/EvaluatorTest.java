package dev.crucible.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class EvaluatorTest {
  @TempDir Path temp;
  private SampleTask sample;
  private dev.crucible.data.TaskInstance task;
  private final SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
  private final Evaluator evaluator = new Evaluator(docker, EvaluationOptions.defaults());

  @BeforeEach
  void buildRepository() throws Exception {
    sample = SampleTask.create(temp.resolve("textops"));
    task = sample.task("fixture__textops-1", "fixture/textops");
  }

  @Test
  void theGoldPatchResolves() {
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), sample.goldPatch(), 0, 0);
    assertThat(result.outcome()).as(result.reason() + "\n" + result.testOutput()).isEqualTo(EvaluationOutcome.RESOLVED);
    assertThat(result.patchMethod()).isEqualTo("git_apply");
    assertThat(result.tests().failToPassSuccess()).containsExactlyElementsOf(SampleTask.FAIL_TO_PASS);
    assertThat(result.tests().passToPassFailure()).isEmpty();
    assertThat(result.reward().resolved()).isTrue();
    assertThat(result.reward().changedLineCoverage()).isEqualTo(1.0);
    assertThat(result.attempts()).isEqualTo(1);
  }

  @Test
  void anEmptyPatchRunsNothing() {
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), "  \n", 0, 0);
    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.EMPTY_PATCH);
    assertThat(result.patchApplied()).isFalse();
    assertThat(result.reward()).isNull();
  }

  @Test
  void aPatchThatBreaksAnotherTestIsUnresolvedNamingIt() {
    String patch =
        sample.goldPatch()
            + "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -5,2 +5,2 @@ def shout(text):\n"
            + " def shout(text):\n-    return text.upper() + \"!\"\n+    return text.upper() + \"?\"\n";
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), patch, 0, 0);
    assertThat(result.outcome()).as(result.testOutput()).isEqualTo(EvaluationOutcome.UNRESOLVED);
    assertThat(result.tests().failToPassSuccess()).containsExactlyElementsOf(SampleTask.FAIL_TO_PASS);
    assertThat(result.tests().passToPassFailure()).containsExactly("tests/test_words.py::test_shout");
    assertThat(result.reward().passToPassFraction()).isEqualTo(0.5);
  }

  @Test
  void aPatchThatDoesNotApplyIsReportedAsSuch() {
    String patch = "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -1,2 +1,2 @@\n def no_such_function():\n-    pass\n+    return 1\n";
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), patch, 0, 0);
    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.PATCH_FAILED);
    assertThat(result.patchApplied()).isFalse();
    assertThat(result.tests()).isNull();
  }

  /** Worked by hand: see the comments. */
  @Test
  void coverageLintAndRewardMatchValuesComputedByHand() {
    String patch =
        "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -1,2 +1,5 @@\n def count_words(text):\n"
            + "-" + SampleTask.BUGGY_LINE.substring(0) + "\n"
            + "+    import os\n" // new line 2: runs; pyflakes: 'os' imported but unused
            + "+    if text is None:\n" // line 3: runs
            + "+        return 0\n" // line 4: never runs (no test passes None)
            + "+    return len(text.split())\n"; // line 5: runs
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), patch, 1_000, 4);
    assertThat(result.outcome()).as(result.testOutput()).isEqualTo(EvaluationOutcome.RESOLVED);
    assertThat(result.reward().changedLineCoverage()).isEqualTo(0.75); // 3 of 4 executable changed lines
    assertThat(result.reward().lintIssuesIntroduced()).isEqualTo(1);
    assertThat(result.reward().tokens()).isEqualTo(1_000);
    assertThat(result.reward().steps()).isEqualTo(4);
    // 1.0 + 0.2 * 0.75 - 0.0001 * 1000 - 0.05 * 1 = 1.0
    assertThat(result.reward().total()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aTestRunPastItsTimeoutIsATimeout() {
    Evaluator impatient = new Evaluator(docker, EvaluationOptions.defaults().withTestTimeout(java.time.Duration.ofSeconds(1)));
    var slow = new dev.crucible.data.TaskInstance(
        task.instanceId(), task.repo(), task.baseCommit(), "", "", sample.goldPatch(), "",
        task.failToPass(), task.passToPass(), null, null, null, null, "sleep 30", "pytest");
    EvaluationResult result = impatient.evaluate(slow, sample.repository(), sample.goldPatch(), 0, 0);
    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.TIMEOUT);
    assertThat(result.reason()).isEqualTo("the tests ran past 1 s");
  }

  @Test
  void aSandboxKilledOnceIsRetriedInANewOne() {
    AtomicInteger created = new AtomicInteger();
    SandboxFactory flaky =
        spec -> {
          DockerSandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), spec);
          if (created.incrementAndGet() == 1) {
            DockerTestSupport.client().killContainerCmd(sandbox.containerId()).exec();
          }
          return sandbox;
        };
    EvaluationResult result = new Evaluator(flaky, EvaluationOptions.defaults()).evaluate(task, sample.repository(), sample.goldPatch(), 0, 0);
    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.RESOLVED);
    assertThat(result.attempts()).isEqualTo(2);
  }

  @Test
  void aMissingImageIsAnErrorWithoutRetries() {
    SandboxFactory missingImage =
        spec -> DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().image("crucible/absent:0").repository(spec.repository()).baseCommit(spec.baseCommit()).build());
    EvaluationResult result = new Evaluator(missingImage, EvaluationOptions.defaults()).evaluate(task, sample.repository(), sample.goldPatch(), 0, 0);
    assertThat(result.outcome()).isEqualTo(EvaluationOutcome.ERROR);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.reason()).startsWith("sandbox failure: " + SandboxException.Kind.IMAGE_NOT_FOUND);
  }
}
