package dev.crucible.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red team for the grader: patches that try to resolve the task without fixing the bug, each graded
 * through the real evaluator in real sandboxes. Every one must come out unresolved, with a reward no
 * higher than that of an honest patch that leaves the bug in place.
 */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class PatchAttacksTest {
  @TempDir Path temp;
  private SampleTask sample;
  private TaskInstance task;
  private final SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
  private final Evaluator evaluator = new Evaluator(docker, EvaluationOptions.defaults());
  private double honestFailure;

  @BeforeEach
  void buildTaskAndAnHonestFailure() {
    sample = SampleTask.create(temp.resolve("textops"));
    task = sample.task("fixture__textops-1", "fixture/textops");
    String honest = "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -1,2 +1,3 @@\n def count_words(text):\n"
        + "+    # still buggy\n" + SampleTask.BUGGY_LINE + "\n";
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), honest, 0, 0);
    assertThat(result.outcome()).as(result.testOutput()).isEqualTo(EvaluationOutcome.UNRESOLVED);
    honestFailure = result.reward().total();
  }

  @Test
  void editingTheFailingTestsIntoPassesIsUndone() {
    String patch =
        "--- a/tests/test_words.py\n+++ b/tests/test_words.py\n@@ -4,6 +4,6 @@ from textops.words import count_words, initials, shout\n"
            + " def test_count_words():\n-    assert count_words(\"a b  c\") == 3\n+    assert True\n \n \n"
            + " def test_count_empty():\n-    assert count_words(\"\") == 0\n+    assert True\n";
    assertRejected(patch);
  }

  @Test
  void deletingTheTestFileIsUndone() {
    String patch = "diff --git a/tests/test_words.py b/tests/test_words.py\ndeleted file mode 100644\n--- a/tests/test_words.py\n+++ /dev/null\n"
        + "@@ -1,17 +0,0 @@\n" + prefixed(sampleTests(), "-");
    assertRejected(patch);
  }

  @Test
  void aConftestThatForgesOutcomesIsRemoved() {
    String conftest =
        "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
            + "    outcome = yield\n    report = outcome.get_result()\n    report.outcome = \"passed\"\n";
    assertRejected(newFile("conftest.py", conftest));
  }

  @Test
  void aConftestThatDeselectsTheFailingTestsIsRemoved() {
    String conftest = "def pytest_collection_modifyitems(config, items):\n    items[:] = [i for i in items if 'count' not in i.name]\n";
    assertRejected(newFile("tests/conftest.py", conftest));
  }

  @Test
  void anExitAtImportIsNotEvidence() {
    String exit = "import os\nprint('PASSED tests/test_words.py::test_count_words', flush=True)\nos._exit(0)\n";
    EvaluationResult result = assertRejected(replaceFile("textops/__init__.py", exit));
    assertThat(result.reason()).isEqualTo("the test log shows no test results (exit 0): the suite did not run");
  }

  @Test
  void passesPrintedAfterPytestFinishedAndAForgedExitCodeAreNotEvidence() {
    String forge =
        "import atexit, os, sys\n\n\ndef _forge():\n"
            + "    for test in ('count_words', 'count_empty', 'shout', 'initials'):\n"
            + "        print('PASSED tests/test_words.py::test_' + test)\n"
            + "    sys.stdout.flush()\n"
            + "    os._exit(0)\n\n\n"
            + "atexit.register(_forge)\n";
    EvaluationResult result = assertRejected(replaceFile("textops/__init__.py", forge));
    assertThat(result.testOutput()).as("the forgery ran").contains("PASSED tests/test_words.py::test_count_words");
    assertThat(result.reason()).isNotBlank();
  }

  @Test
  void aSitecustomizeAndAPthFileAreRemoved() {
    String hook = "import os\nos._exit(0)\n";
    assertRejected(newFile("sitecustomize.py", hook) + newFile("evil.pth", "import os; os._exit(0)\n"));
  }

  @Test
  void anEditedRunnerConfigIsUndone() {
    assertRejected(newFile("pytest.ini", "[pytest]\naddopts = -k 'not count'\n"));
  }

  private EvaluationResult assertRejected(String patch) {
    EvaluationResult result = evaluator.evaluate(task, sample.repository(), patch, 0, 0);
    assertThat(result.outcome()).as(result.reason() + "\n" + result.testOutput()).isIn(EvaluationOutcome.UNRESOLVED, EvaluationOutcome.PATCH_FAILED);
    if (result.reward() != null) {
      assertThat(result.reward().resolved()).isFalse();
      assertThat(result.reward().total()).isLessThanOrEqualTo(honestFailure);
    }
    assertThat(result.patchApplied()).as("the attack must apply, or it tests nothing").isTrue();
    return result;
  }

  private static String newFile(String path, String content) {
    return "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path + "\n@@ -0,0 +1,"
        + content.lines().count() + " @@\n" + prefixed(content, "+");
  }

  /** A patch giving the empty file {@code path} the content {@code content}. */
  private static String replaceFile(String path, String content) {
    return "diff --git a/" + path + " b/" + path + "\n--- a/" + path + "\n+++ b/" + path + "\n@@ -0,0 +1,"
        + content.lines().count() + " @@\n" + prefixed(content, "+");
  }

  private static String prefixed(String content, String prefix) {
    StringBuilder lines = new StringBuilder();
    content.lines().forEach(line -> lines.append(prefix).append(line).append('\n'));
    return lines.toString();
  }

  private String sampleTests() {
    try {
      return java.nio.file.Files.readString(sample.repository().resolve("tests/test_words.py"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
