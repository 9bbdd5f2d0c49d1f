package dev.crucible.rollout.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.agent.FixHint;
import dev.crucible.rollout.agent.PatchHunk;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.tools.StrReplaceEditorTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class TaskGeneratorTest {
  private static final Path TEXTKIT = Path.of("../examples/repos/textkit");
  @TempDir Path temp;
  private final SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);

  private List<GeneratedTask> generate(Path repository, Path out, int max, long seed) {
    return generate(repository, out, max, seed, HintLevel.NONE);
  }

  private List<GeneratedTask> generate(Path repository, Path out, int max, long seed, HintLevel hint) {
    return generate(repository, out, max, seed, hint, new ByteArrayOutputStream());
  }

  private List<GeneratedTask> generate(Path repository, Path out, int max, long seed, HintLevel hint, ByteArrayOutputStream progress) {
    try (LocalTrialRunner trials = new LocalTrialRunner(docker, 2)) {
      TaskGenerator generator =
          new TaskGenerator(docker, trials, new TaskGenerator.Options(max, seed, SandboxSpec.DEFAULT_IMAGE, Duration.ofSeconds(60), hint),
              new PrintStream(progress, true, java.nio.charset.StandardCharsets.UTF_8));
      return generator.generate(repository, out);
    }
  }

  /** A repository as large as boltons lists more candidates than a command's kept output holds (it once broke the list). */
  @Test
  void aRepositoryWithTensOfThousandsOfCandidatesListsThemAll() throws IOException {
    Path repository = temp.resolve("large");
    Files.createDirectories(repository.resolve("tests"));
    StringBuilder module = new StringBuilder();
    int functions = 6000;
    for (int i = 0; i < functions; i++) {
      module.append("def f_").append(i).append("(x):\n    return x + ").append(i).append(" if x > ").append(i).append(" else x - ").append(i)
          .append("\n\n\n");
    }
    Files.writeString(repository.resolve("large.py"), module.toString());
    Files.writeString(repository.resolve("tests/test_large.py"), "import large\n\n\ndef test_every_function():\n"
        + "    for i in range(" + functions + "):\n        f = getattr(large, f\"f_{i}\")\n"
        + "        assert (f(i + 1), f(i), f(i - 1)) == (2 * i + 1, 0, -1)\n");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    assertThat(generate(repository, temp.resolve("out"), 1, 0, HintLevel.NONE, progress)).hasSize(1);
    java.util.regex.Matcher listed = java.util.regex.Pattern.compile("tasks: large: 1 tests pass; (\\d+) candidate bugs")
        .matcher(progress.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(listed.find()).as(progress.toString(java.nio.charset.StandardCharsets.UTF_8)).isTrue();
    assertThat(Integer.parseInt(listed.group(1))).as("at least one candidate per function").isGreaterThanOrEqualTo(functions);
  }

  @Test
  void generatesTasksThatAllPassValidation() {
    List<GeneratedTask> generated = generate(TEXTKIT, temp.resolve("out"), 20, 7);
    assertThat(generated).hasSize(20);
    Set<String> patches = new HashSet<>();
    for (GeneratedTask task : generated) {
      TaskInstance instance = task.task();
      assertThat(instance.failToPass()).as(instance.instanceId()).isNotEmpty();
      assertThat(instance.passToPass()).doesNotContainAnyElementsOf(instance.failToPass());
      assertThat(instance.problemStatement()).contains(instance.failToPass().get(0)).doesNotContain(task.mutation().file());
      assertThat(patches.add(instance.patch())).as("patches are unique").isTrue();
      assertThat(instance.repo()).isEqualTo("local/textkit");
    }
    Evaluator evaluator = new Evaluator(docker, new EvaluationOptions(Duration.ofMinutes(2), 2, false, false, dev.crucible.reward.signals.RewardWeights.defaults()));
    List<TaskValidator.Verdict> verdicts =
        new TaskValidator(evaluator, 2).validate(generated.stream().map(GeneratedTask::task).toList(), t -> temp.resolve("out/repos/local__textkit"));
    assertThat(verdicts).allSatisfy(verdict -> assertThat(verdict.valid()).as(verdict.instanceId() + " " + verdict.detail()).isTrue());
  }

  @Test
  void theSameSeedGivesTheSameTasksAtEveryHintLevel() {
    List<GeneratedTask> plain = generate(TEXTKIT, temp.resolve("a"), 4, 11);
    List<GeneratedTask> hinted = generate(TEXTKIT, temp.resolve("b"), 4, 11, HintLevel.FIX);
    List<String> first = plain.stream().map(g -> g.task().patch()).toList();
    List<String> other = generate(TEXTKIT, temp.resolve("c"), 4, 12).stream().map(g -> g.task().patch()).toList();
    assertThat(hinted.stream().map(g -> g.task().patch()).toList()).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    for (int index = 0; index < plain.size(); index++) {
      TaskInstance without = plain.get(index).task();
      TaskInstance with = hinted.get(index).task();
      assertThat(without.hintLevel()).isEqualTo(HintLevel.NONE);
      assertThat(with.hintLevel()).isEqualTo(HintLevel.FIX);
      MutationCandidate mutation = hinted.get(index).mutation();
      Path repository = temp.resolve("b/repos/local__textkit");
      String buggy = Git.run(repository, "show", with.baseCommit() + ":" + mutation.file());
      assertThat(with.problemStatement())
          .isEqualTo(without.problemStatement() + TaskHints.text(HintLevel.FIX, mutation, with.patch(), buggy))
          .contains("line " + mutation.line() + " of " + mutation.file());
      // The edits the hint shows restore the original file.
      String fixed = buggy;
      for (PatchHunk edit : FixHint.read(with.problemStatement())) {
        assertThat(edit.file()).isEqualTo(mutation.file());
        assertThat(StrReplaceEditorTool.occurrences(fixed, edit.before())).as("str_replace needs the text once").isEqualTo(1);
        fixed = fixed.replace(edit.before(), edit.after());
      }
      assertThat(fixed).isEqualTo(Git.run(repository, "show", "original:" + mutation.file()));
    }
  }

  @Test
  void aRepositoryWithoutTestsIsRejected() throws IOException {
    Path repository = temp.resolve("notests");
    Files.createDirectories(repository.resolve("lib"));
    Files.writeString(repository.resolve("lib/core.py"), "def f(x):\n    return x + 1\n");
    assertThatThrownBy(() -> generate(repository, temp.resolve("out"), 5, 0))
        .isInstanceOf(TaskGenerationException.class)
        .hasMessageStartingWith("pytest collected no tests in ");
  }

  @Test
  void aRepositoryWhoseTestsAllFailIsRejected() throws IOException {
    Path repository = temp.resolve("failing");
    Files.createDirectories(repository.resolve("tests"));
    Files.writeString(repository.resolve("lib.py"), "def f(x):\n    return x + 1\n");
    Files.writeString(repository.resolve("tests/test_lib.py"), "from lib import f\n\n\ndef test_f():\n    assert f(1) == 3\n");
    assertThatThrownBy(() -> generate(repository, temp.resolve("out"), 5, 0))
        .isInstanceOf(TaskGenerationException.class)
        .hasMessageContaining("passes before any mutation (1 tests ran)");
  }

  @Test
  void aRepositoryThatDoesNotImportIsRejectedWithTheError() throws IOException {
    Path repository = temp.resolve("broken");
    Files.createDirectories(repository.resolve("tests"));
    Files.writeString(repository.resolve("lib.py"), "import numpy_that_is_not_installed\n");
    Files.writeString(repository.resolve("tests/test_lib.py"), "import lib\n\n\ndef test_lib():\n    assert lib\n");
    assertThatThrownBy(() -> generate(repository, temp.resolve("out"), 5, 0))
        .isInstanceOf(TaskGenerationException.class)
        .hasMessageContaining("cannot be collected")
        .hasMessageContaining("numpy_that_is_not_installed");
  }
}
