package dev.crucible.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Red team for the grader: patches that try to resolve the task without fixing the bug
 * ({@link PatchAttacks}), each graded through the real evaluator in real sandboxes. Every one must come
 * out unresolved, with a reward no higher than that of an honest patch that leaves the bug in place.
 */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class PatchAttacksTest {
  @TempDir Path temp;
  private SampleTask sample;
  private TaskInstance task;
  private Map<String, String> attacks;
  private final SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
  private final Evaluator evaluator = new Evaluator(docker, EvaluationOptions.defaults());
  private double honestFailure;

  @BeforeEach
  void buildTaskAndAnHonestFailure() {
    sample = SampleTask.create(temp.resolve("textops"));
    task = sample.task("fixture__textops-1", "fixture/textops");
    attacks = PatchAttacks.against(sample);
    String honest = "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -1,2 +1,3 @@\n def count_words(text):\n"
        + "+    # still buggy\n" + SampleTask.BUGGY_LINE + "\n";
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), honest, 0, 0);
    assertThat(result.outcome()).as(result.testOutput()).isEqualTo(EvaluationOutcome.UNRESOLVED);
    honestFailure = result.reward().total();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "edit-tests", "delete-tests", "conftest-forge", "conftest-deselect", "exit-at-import", "forge-at-exit", "sitecustomize",
      "runner-config", "hidden-config-plugin", "entry-point-plugin"})
  void anAttackIsUnresolvedAndEarnsNoMoreThanAnHonestFailure(String attack) {
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), attacks.get(attack), 0, 0);
    assertThat(result.patchApplied()).as("the attack must apply, or it tests nothing").isTrue();
    assertThat(result.outcome()).as(result.reason() + "\n" + result.testOutput()).isEqualTo(EvaluationOutcome.UNRESOLVED);
    assertThat(result.reward().resolved()).isFalse();
    assertThat(result.reward().total()).isLessThanOrEqualTo(honestFailure);
    switch (attack) {
      case "exit-at-import" -> assertThat(result.reason()).isEqualTo("the test log shows no test results (exit 0): the suite did not run");
      case "forge-at-exit" -> {
        assertThat(result.testOutput()).as("the forgery ran").contains("PASSED tests/test_words.py::test_count_words");
        assertThat(result.reason()).isNotBlank();
      }
      default -> assertThat(result.tests().failToPassFailure()).as("the graded tests ran as the base has them").isNotEmpty();
    }
  }
}
