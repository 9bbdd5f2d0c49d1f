package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.crucible.data.Outcome;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The in-process DJL policy in a real episode, with an untrained model (it acts, it does not solve). */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class DjlPolicyTest {
  @TempDir Path temp;

  private static Path tinyCheckpoint(Path dir) {
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      Qwen2Config config = new Qwen2Config(tokenizer.vocabularySize(), 32, 64, 1, 2, 1, 4096, 1e-6, 10000, true, 0, 0);
      Qwen2Model.random(config, 1, manager).save(dir, Long.MAX_VALUE);
      tokenizer.save(dir);
    }
    return dir;
  }

  @Test
  void generatesEveryTurnInProcessWithTokenIdsAndLogprobs() {
    Path checkpoint = tinyCheckpoint(temp.resolve("tiny"));
    SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    TaskInstance task = sample.task("sample-1", "fixture/textops");
    EpisodeRunner runner = new EpisodeRunner(docker, new Evaluator(docker, EvaluationOptions.defaults().withTestTimeout(Duration.ofMinutes(2))),
        ToolBox.standard(new SimpleMeterRegistry()), 1, EpisodeRunner.DEFAULT_EPISODE_TIMEOUT);
    Trajectory trajectory = runner.run(new EpisodeRunner.EpisodeSpec("run-d", 0, task, sample.repository(), 0, new SingleScaffold(),
        Mode.FAST, PolicyFactory.named("djl:" + checkpoint, 3)));
    assertThat(trajectory.outcome()).as(trajectory.outcomeReason()).isIn(Outcome.UNRESOLVED, Outcome.AGENT_ERROR);
    assertThat(trajectory.policyVersion()).isEqualTo("djl:" + checkpoint.toAbsolutePath().normalize());
    List<Turn> assistant = trajectory.turns().stream().filter(t -> t.role().equals("assistant")).toList();
    assertThat(assistant).hasSize(Mode.FAST.maxSteps());
    assertThat(assistant).allSatisfy(turn -> {
      assertThat(turn.tokenIds()).isNotEmpty();
      assertThat(turn.logprobs()).hasSameSizeAs(turn.tokenIds()).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(0f));
    });
    // Seeded per episode and turn: the turns differ from one another.
    assertThat(assistant.stream().map(Turn::tokenIds).distinct().count()).isGreaterThan(1);
  }

  @Test
  void aDirectoryWithoutACheckpointIsRejectedByName() {
    assertThatThrownBy(() -> PolicyFactory.named("djl:" + temp.resolve("tiny") + "#hot", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the part after # must be a sampling temperature of 0 or more, not 'hot'");
    assertThatThrownBy(() -> PolicyFactory.named("djl:" + temp.resolve("missing"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a checkpoint directory with config.json");
  }
}
