package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.HintLevel;
import dev.crucible.data.Outcome;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.evaluation.OfficialLayoutImage;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.sandbox.docker.ImageContainer;
import dev.crucible.rollout.sandbox.docker.ImageContainers;
import dev.crucible.rollout.search.EmbeddingsEndpoint;
import dev.crucible.rollout.search.OpenAiEmbeddings;
import dev.crucible.rollout.tasks.GeneratedTask;
import dev.crucible.rollout.tasks.LocalTrialRunner;
import dev.crucible.rollout.tasks.TaskGenerator;
import dev.crucible.rollout.tools.ToolBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class EpisodeRunnerTest {
  @TempDir Path temp;
  private final SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private EpisodeRunner runner(SandboxFactory sandboxes) {
    Evaluator evaluator = new Evaluator(docker, EvaluationOptions.defaults().withTestTimeout(Duration.ofMinutes(2)));
    return new EpisodeRunner(sandboxes, evaluator, ToolBox.standard(metrics), 3, EpisodeRunner.DEFAULT_EPISODE_TIMEOUT);
  }

  private static EpisodeRunner.EpisodeSpec spec(TaskInstance task, Path repository, int sample) {
    return new EpisodeRunner.EpisodeSpec(
        "run-e", 0, task, repository, sample, new SingleScaffold(), Mode.STANDARD, PolicyFactory.named("scripted", 1));
  }

  @Test
  void theScriptedExpertResolvesGeneratedTasksThroughTheTools() {
    List<GeneratedTask> generated;
    try (LocalTrialRunner trials = new LocalTrialRunner(docker, 2)) {
      generated =
          new TaskGenerator(docker, trials, new TaskGenerator.Options(4, 2, SandboxSpec.DEFAULT_IMAGE, Duration.ofSeconds(60), HintLevel.NONE),
                  new PrintStream(new ByteArrayOutputStream()))
              .generate(Path.of("../examples/repos/textkit"), temp);
    }
    for (GeneratedTask task : generated) {
      Trajectory trajectory = runner(docker).run(spec(task.task(), temp.resolve("repos/local__textkit"), 0));
      assertThat(trajectory.outcome()).as(trajectory.taskId() + ": " + trajectory.outcomeReason()).isEqualTo(Outcome.RESOLVED);
      assertThat(trajectory.reward().resolved()).isTrue();
      assertThat(trajectory.policyVersion()).isEqualTo("scripted");
      assertThat(trajectory.scaffold()).isEqualTo("single");
      assertThat(trajectory.mode()).isEqualTo("standard");
      List<Turn> turns = trajectory.turns();
      assertThat(turns.get(0).role()).isEqualTo("system");
      assertThat(turns.get(1).role()).isEqualTo("user");
      for (int i = 2; i < turns.size(); i += 2) {
        assertThat(turns.get(i).role()).isEqualTo("assistant");
        assertThat(turns.get(i + 1).role()).isEqualTo("tool");
        assertThat(turns.get(i + 1).observation()).as(turns.get(i + 1).toolName()).doesNotStartWith("Error");
      }
      assertThat(turns.get(turns.size() - 2).toolName()).isEqualTo("submit");
      assertThat(turns).extracting(Turn::toolName).contains("view_file", "str_replace_editor", "run_tests");
      assertThat(trajectory.finalPatch()).isNotBlank();
      assertThat(trajectory.reward().steps()).isEqualTo((turns.size() - 2) / 2);
    }
    assertThat(metrics.counter(ToolBox.CALLS_METRIC, "tool", "submit", "status", "ok").count()).isEqualTo(generated.size());
  }

  /**
   * A row with its own image and eval script, as SWE-Gym and SWE-smith publish them, in an image built
   * offline in the official layout ({@link OfficialLayoutImage}) that stands in for a pulled one: the
   * expert works in the image's {@code /testbed}, its {@code run_tests} runs the script's test command,
   * and the change is graded by the script in the hardened way.
   */
  @Test
  void aRowWithItsOwnImageIsWorkedOnInItsTestbedAndGradedByItsScript() {
    OfficialLayoutImage fixture = OfficialLayoutImage.build(temp, "crucible-test/sweb.eval.textops:episode");
    ImageContainers images = (image, runId, taskId, log) ->
        ImageContainer.start(DockerTestSupport.client(), image, runId, taskId, ImageLimits.DEFAULT, null, log);
    SandboxFactory noRepositorySandboxes = spec -> {
      assertThat(spec.repository()).as("everything comes from the image").isNull();
      return docker.create(spec);
    };
    Evaluator evaluator = new Evaluator(noRepositorySandboxes, images, EvaluationOptions.defaults().withTestTimeout(Duration.ofMinutes(2)));
    EpisodeRunner runner = new EpisodeRunner(noRepositorySandboxes, evaluator, ToolBox.standard(metrics), 3, EpisodeRunner.DEFAULT_EPISODE_TIMEOUT);

    Trajectory trajectory = runner.run(spec(fixture.row("fixture__textops-1"), null, 0));

    assertThat(trajectory.outcome()).as(trajectory.outcomeReason()).isEqualTo(Outcome.RESOLVED);
    assertThat(trajectory.reward().resolved()).isTrue();
    assertThat(trajectory.finalPatch()).startsWith("diff --git a/textops/words.py b/textops/words.py\n");
    Turn testRun = trajectory.turns().stream().filter(turn -> "run_tests".equals(turn.toolName()) && turn.role().equals("tool"))
        .findFirst().orElseThrow();
    assertThat(testRun.observation()).as("the script's test command in the activated environment").startsWith("Tests: ");
  }

  /**
   * A task whose fix takes two edits, each of which makes one of its two FAIL_TO_PASS tests pass; the
   * agent edits, runs the tests, makes a change that breaks a PASS_TO_PASS test, mends it with the second
   * fix, and submits.
   */
  @Test
  void progressIsGradedAtEachEditBoundaryAndCreditedToTheTurnThatMadeIt() throws Exception {
    Path repository = temp.resolve("twobugs");
    java.nio.file.Files.createDirectories(repository.resolve("calc"));
    java.nio.file.Files.writeString(repository.resolve("calc/__init__.py"), "");
    java.nio.file.Files.writeString(repository.resolve("calc/ops.py"),
        "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a + b\n\n\ndef neg(a):\n    return -a\n");
    java.nio.file.Files.createDirectories(repository.resolve("tests"));
    java.nio.file.Files.writeString(repository.resolve("tests/test_ops.py"), """
        from calc.ops import add, mul, neg


        def test_add():
            assert add(2, 3) == 5


        def test_mul():
            assert mul(2, 3) == 6


        def test_neg():
            assert neg(2) == -2
        """);
    dev.crucible.rollout.sandbox.Git.run(repository, "init", "-q");
    dev.crucible.rollout.sandbox.Git.run(repository, "add", "-A");
    dev.crucible.rollout.sandbox.Git.run(repository, "commit", "-q", "-m", "two bugs");
    String base = dev.crucible.rollout.sandbox.Git.run(repository, "rev-parse", "HEAD").strip();
    TaskInstance task = new TaskInstance("twobugs-1", "fixture/twobugs", base, "add and mul are wrong", "", "", "",
        List.of("tests/test_ops.py::test_add", "tests/test_ops.py::test_mul"), List.of("tests/test_ops.py::test_neg"), "0.1", null, null,
        SandboxSpec.DEFAULT_IMAGE, SampleTask.TEST_COMMAND, "pytest");
    List<PolicyResponse> script = List.of(
        edit("    return a - b", "    return a + b"),             // turn 2: J 0.5, +0.5
        PolicyResponse.call("", "run_tests", "{}"),                 // turn 4: the same tree, 0
        edit("    return -a", "    return a"),                      // turn 6: breaks test_neg, J 0, -0.5
        edit("    return a\n", "    return -a\n"),                  // turn 8: mended, J 0.5 again, +0.5
        edit("def mul(a, b):\n    return a + b", "def mul(a, b):\n    return a * b"), // turn 10: J 1, +0.5
        PolicyResponse.call("", "view_file", "{\"path\": \"calc/ops.py\"}"), // turn 12: no boundary
        PolicyResponse.call("", "submit", "{}"));
    PolicyFactory scripted = new PolicyFactory() {
      @Override
      public String version() {
        return "two-edits";
      }

      @Override
      public Policy create(TaskInstance ignored, int sampleIndex, Mode mode) {
        java.util.Iterator<PolicyResponse> next = script.iterator();
        return new Policy() {
          @Override
          public String version() {
            return "two-edits";
          }

          @Override
          public PolicyResponse next(List<ChatMessage> messages, com.fasterxml.jackson.databind.node.ArrayNode tools) {
            return next.next();
          }
        };
      }
    };
    Evaluator evaluator = new Evaluator(docker, EvaluationOptions.defaults().withTestTimeout(Duration.ofMinutes(2)));
    EpisodeRunner runner = new EpisodeRunner(docker, evaluator, ToolBox.standard(metrics), 1, EpisodeRunner.DEFAULT_EPISODE_TIMEOUT, 8, null);
    Trajectory trajectory = runner.run(new EpisodeRunner.EpisodeSpec("run-g", 0, task, repository, 0, new SingleScaffold(), Mode.STANDARD, scripted));

    assertThat(trajectory.outcome()).as(trajectory.outcomeReason()).isEqualTo(Outcome.RESOLVED);
    java.util.Map<Integer, Double> progress = new java.util.TreeMap<>();
    trajectory.turns().stream().filter(turn -> turn.progress() != null).forEach(turn -> progress.put(turn.index(), turn.progress()));
    assertThat(progress).containsExactly(java.util.Map.entry(2, 0.5), java.util.Map.entry(4, 0.0), java.util.Map.entry(6, -0.5),
        java.util.Map.entry(8, 0.5), java.util.Map.entry(10, 0.5));
    assertThat(trajectory.reward().progressReward()).as("the sum: the last J").isEqualTo(1.0);
    assertThat(trajectory.reward().total()).as("the default shaping weights are 0").isEqualTo(
        evaluator.withShaping(trajectory.reward(), 0.0, 0.0).total());
    // Milestones: no look before the first change, the first change at turn 2, J = 1 first at turn 10, the submit at 14 solved.
    assertThat(milestones(trajectory)).containsExactly(java.util.Map.entry(2, 0.2), java.util.Map.entry(10, 0.3), java.util.Map.entry(14, 1.0));
    assertThat(trajectory.reward().milestoneReward()).isCloseTo(1.5, org.assertj.core.api.Assertions.within(1e-12));

    // A budget of two gradings: the first two distinct changes are graded, the rest earn nothing.
    EpisodeRunner bounded = new EpisodeRunner(docker, evaluator, ToolBox.standard(metrics), 1, EpisodeRunner.DEFAULT_EPISODE_TIMEOUT, 2, null);
    Trajectory cut = bounded.run(new EpisodeRunner.EpisodeSpec("run-g", 0, task, repository, 1, new SingleScaffold(), Mode.STANDARD, scripted));
    progress.clear();
    cut.turns().stream().filter(turn -> turn.progress() != null).forEach(turn -> progress.put(turn.index(), turn.progress()));
    assertThat(progress).containsExactly(java.util.Map.entry(2, 0.5), java.util.Map.entry(4, 0.0), java.util.Map.entry(6, -0.5));
    assertThat(cut.reward().progressReward()).isEqualTo(0.0);
    assertThat(milestones(cut)).as("J = 1 was never graded").containsExactly(java.util.Map.entry(2, 0.2), java.util.Map.entry(14, 1.0));
  }

  private static java.util.Map<Integer, Double> milestones(Trajectory trajectory) {
    java.util.Map<Integer, Double> milestones = new java.util.TreeMap<>();
    trajectory.turns().stream().filter(turn -> turn.milestone() != null).forEach(turn -> milestones.put(turn.index(), turn.milestone()));
    return milestones;
  }

  private static PolicyResponse edit(String old, String replacement) {
    com.fasterxml.jackson.databind.node.ObjectNode arguments = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
        .put("command", "str_replace").put("path", "calc/ops.py").put("old_str", old).put("new_str", replacement);
    return PolicyResponse.call("", "str_replace_editor", arguments.toString());
  }

  @Test
  void thePhasedScaffoldGoesThroughEachPhaseWithTrimmedHistory() {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    TaskInstance task = sample.task("sample-1", "fixture/textops");
    for (int seed = 0; seed < 3; seed++) {
      Trajectory trajectory =
          runner(docker)
              .run(new EpisodeRunner.EpisodeSpec(
                  "run-p", 0, task, sample.repository(), seed, new PhasedScaffold(), Mode.STANDARD, PolicyFactory.named("scripted", seed)));
      assertThat(trajectory.outcome()).as(trajectory.outcomeReason()).isEqualTo(Outcome.RESOLVED);
      assertThat(trajectory.scaffold()).isEqualTo("phased");
      List<Turn> turns = trajectory.turns();
      assertThat(turns).allSatisfy(turn -> assertThat(turn.phase()).isIn("decoder", "mapper", "solver", "reviewer"));
      List<String> phases = turns.stream().map(Turn::phase).distinct().toList();
      assertThat(phases).containsExactly("decoder", "mapper", "solver", "reviewer");
      assertThat(turns.stream().filter(t -> "str_replace_editor".equals(t.toolName()) && t.role().equals("assistant")))
          .allSatisfy(t -> assertThat(t.phase()).isEqualTo("solver"));
      assertThat(turns.stream().filter(t -> "submit".equals(t.toolName()) && t.role().equals("assistant")))
          .singleElement()
          .satisfies(t -> assertThat(t.phase()).isEqualTo("reviewer"));
      List<String> trims =
          turns.stream().filter(t -> t.role().equals("system")).map(Turn::content).filter(c -> c.contains("history trimmed")).toList();
      assertThat(trims).hasSizeGreaterThanOrEqualTo(4);
      String last = trims.get(trims.size() - 1);
      java.util.regex.Matcher sizes = java.util.regex.Pattern.compile("from (\\d+) to (\\d+) characters").matcher(last);
      assertThat(sizes.find()).isTrue();
      assertThat(Integer.parseInt(sizes.group(2))).isLessThan(Integer.parseInt(sizes.group(1)));
    }
  }

  @Test
  void anUnreachablePolicyEndpointIsAnInfraErrorNotAModelFailure() {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    TaskInstance task = sample.task("sample-1", "fixture/textops");
    Trajectory trajectory =
        runner(docker)
            .run(new EpisodeRunner.EpisodeSpec(
                "run-o", 0, task, sample.repository(), 0, new SingleScaffold(), Mode.FAST,
                PolicyFactory.named("openai:http://127.0.0.1:1/v1#tiny", 0)));
    assertThat(trajectory.outcome()).isEqualTo(Outcome.INFRA_ERROR);
    assertThat(trajectory.reward()).isNull();
    assertThat(trajectory.policyVersion()).isEqualTo("openai:http://127.0.0.1:1/v1#tiny");
    assertThat(trajectory.outcomeReason()).startsWith("the policy endpoint http://127.0.0.1:1/v1/chat/completions failed after 4 attempts");
  }

  /** search_code's index is built before the agent's first step; an embeddings endpoint that fails it is the infrastructure's failure. */
  @Test
  void anUnreachableEmbeddingsEndpointIsAnInfraErrorNotASearchTheAgentSeesFail() {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    TaskInstance task = sample.task("sample-1", "fixture/textops");
    Evaluator evaluator = new Evaluator(docker, EvaluationOptions.defaults().withTestTimeout(Duration.ofMinutes(2)));
    EpisodeRunner runner = new EpisodeRunner(docker, evaluator, ToolBox.standard(metrics), 3, EpisodeRunner.DEFAULT_EPISODE_TIMEOUT, 0,
        OpenAiEmbeddings.connect(EmbeddingsEndpoint.parse("http://127.0.0.1:1/v1#code")));
    Trajectory trajectory = runner.run(spec(task, sample.repository(), 0));
    assertThat(trajectory.outcome()).isEqualTo(Outcome.INFRA_ERROR);
    assertThat(trajectory.reward()).isNull();
    assertThat(trajectory.turns()).as("the agent never acted").isEmpty();
    assertThat(trajectory.outcomeReason()).startsWith("the embeddings endpoint http://127.0.0.1:1/v1/embeddings failed after 4 attempts");
  }

  /**
   * The expert's standard plan starts with search_code on the problem statement in half the samples: the index,
   * listed in the sandbox before its first step and built once for the runner's episodes of the snapshot, ranks
   * the function the gold patch changes first.
   */
  @Test
  void searchCodeRanksTheFunctionTheIssueDescribesFirst() {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    TaskInstance task = sample.task("sample-1", "fixture/textops");
    EpisodeRunner runner = runner(docker);
    List<Turn> searches = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Trajectory trajectory = runner.run(spec(task, sample.repository(), i));
      assertThat(trajectory.outcome()).isEqualTo(Outcome.RESOLVED);
      trajectory.turns().stream().filter(turn -> "search_code".equals(turn.toolName()) && turn.role().equals("tool")).forEach(searches::add);
    }
    assertThat(searches).as("some of six samples search the code").isNotEmpty().allSatisfy(turn ->
        assertThat(turn.observation().lines().skip(1).findFirst()).contains("textops/words.py:1-2  count_words  def count_words(text):"));
    assertThat(metrics.counter(ToolBox.CALLS_METRIC, "tool", "search_code", "status", "ok").count()).isEqualTo(searches.size());
  }

  @Test
  void differentSamplesExploreDifferently() {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    TaskInstance task = sample.task("sample-1", "fixture/textops");
    List<List<String>> tools =
        java.util.stream.IntStream.range(0, 6)
            .mapToObj(i -> runner(docker).run(spec(task, sample.repository(), i)))
            .peek(t -> assertThat(t.outcome()).isEqualTo(Outcome.RESOLVED))
            .map(t -> t.turns().stream().map(Turn::toolName).toList())
            .distinct()
            .toList();
    assertThat(tools).hasSizeGreaterThan(1);
  }

  @Test
  void aSandboxKilledDuringTheEpisodeIsRetriedAndOneThatCannotStartIsAnInfraError() {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    TaskInstance task = sample.task("sample-1", "fixture/textops");
    AtomicInteger created = new AtomicInteger();
    SandboxFactory killedOnce =
        spec -> {
          DockerSandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), spec);
          if (created.incrementAndGet() == 1) {
            DockerTestSupport.client().killContainerCmd(sandbox.containerId()).exec();
          }
          return sandbox;
        };
    assertThat(runner(killedOnce).run(spec(task, sample.repository(), 0)).outcome()).isEqualTo(Outcome.RESOLVED);
    assertThat(created.get()).isEqualTo(2);

    SandboxFactory missingImage = spec -> DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().image("crucible/absent:0").build());
    Trajectory failed = runner(missingImage).run(spec(task, sample.repository(), 1));
    assertThat(failed.outcome()).isEqualTo(Outcome.INFRA_ERROR);
    assertThat(failed.reward()).isNull();
    assertThat(failed.outcomeReason()).startsWith("sandbox failure: IMAGE_NOT_FOUND");
  }
}
