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
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.Packer;
import dev.crucible.trainer.train.TokenSequences;
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
public class DjlPolicyTest {
  @TempDir Path temp;

  /** A random model with the built-in tokenizer, saved in {@code dir}: it acts, it does not solve. */
  public static Path tinyCheckpoint(Path dir) {
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      // A context long enough for every turn of a FAST episode, so no prompt is trimmed.
      Qwen2Config config = new Qwen2Config(tokenizer.vocabularySize(), 32, 64, 1, 2, 1, 16384, 1e-6, 10000, true, 0, 0);
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

    // Training rows rebuilt from the stored ids train on exactly the sampled tokens, in one sequence: each
    // prompt continued the previous one token for token.
    assertThat(assistant.get(0).sampling().extendsPrevious()).isFalse();
    assertThat(assistant.subList(1, assistant.size())).allSatisfy(turn -> assertThat(turn.sampling().extendsPrevious()).isTrue());
    List<TokenSequences.Sequence> sequences = TokenSequences.of(trajectory);
    assertThat(sequences).hasSize(1);
    List<PackedRow> rows = new Packer(16384).pack(sequences.stream().map(TokenSequences.Sequence::tokens).toList());
    List<Integer> trained = new java.util.ArrayList<>();
    for (PackedRow row : rows) {
      for (int t = 0; t < row.length(); t++) {
        if (row.lossMask()[t]) {
          trained.add((int) row.targets()[t]);
        }
      }
    }
    assertThat(trained).isEqualTo(assistant.stream().flatMap(turn -> turn.tokenIds().stream()).toList());
    // A reply not closed by <|im_end|> (cut by the length limit, or ended by <|endoftext|>) is closed by the
    // next prompt: that <|im_end|> is context (mask 0), never a trained token.
    long imEnd;
    try (ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      imEnd = tokenizer.imEnd();
    }
    TokenSequences.Sequence sequence = sequences.get(0);
    int closedCutReplies = 0;
    for (int i = 0; i + 1 < sequence.length(); i++) {
      if (sequence.sampled()[i] && !sequence.sampled()[i + 1] && sequence.ids()[i] != imEnd) {
        assertThat(sequence.ids()[i + 1]).isEqualTo(imEnd);
        closedCutReplies++;
      }
    }
    assertThat(closedCutReplies).isEqualTo((int) assistant.stream().limit(assistant.size() - 1)
        .filter(t -> t.tokenIds().get(t.tokenIds().size() - 1) != imEnd).count());
    assertThat(assistant).filteredOn(t -> t.sampling().truncated()).isNotEmpty()
        .allSatisfy(t -> assertThat((long) t.tokenIds().get(t.tokenIds().size() - 1)).isNotEqualTo(imEnd));
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
