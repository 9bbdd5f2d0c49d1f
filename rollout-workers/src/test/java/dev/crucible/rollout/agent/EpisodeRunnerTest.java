package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.HintLevel;
import dev.crucible.data.Outcome;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
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
