package dev.crucible.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.Trajectory;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import dev.crucible.jobs.Cli;
import dev.crucible.jobs.CrucibleCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible train} end to end on stored trajectories. They are synthetic (storage-shaped, not
 * expert data): these tests check the plumbing and the tables, while trainer tests check learning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainCommandTest {
  @TempDir static Path temp;
  private Path run;
  private Path otherRun;
  private String out;
  private String err;

  /** Nine episodes of three tasks in two runs: two tasks in one, the third in the other. */
  @BeforeAll
  void storeEpisodes() {
    run = temp.resolve("runs/expert");
    otherRun = temp.resolve("runs/expert-2");
    SyntheticTrajectories synthetic = new SyntheticTrajectories(8, 300);
    for (int task = 0; task < 3; task++) {
      Path runDirectory = task < 2 ? run : otherRun;
      TrajectoryStore store = new TrajectoryStore(dev.crucible.data.io.HadoopFiles.local(runDirectory), new Configuration());
      try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
        for (int sample = 0; sample < 3; sample++) {
          writer.write(synthetic.episode(runDirectory.getFileName().toString(), 0, "task-" + task, sample, 5));
        }
        writer.commit();
      }
    }
  }

  private int crucible(String... args) {
    Cli.Result result = Cli.run(args);
    out = result.out();
    err = result.err();
    return result.exitCode();
  }

  private Path config(String name, String text) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static final String TINY = """
      model:
        random: {hidden_size: 32, intermediate_size: 64, layers: 1, heads: 2, kv_heads: 1, context: 2048}
      training: {sequence_length: 1536, batch_size: 2, max_steps: 3, checkpoint_every: 2, warmup_steps: 1, log_every: 1}
      """;

  @Test
  void sftThenDpoFromItsCheckpointLeaveTablesAnotherEngineReads() throws Exception {
    Path sftOut = temp.resolve("train/sft");
    Path sft = config("sft.yaml", "output: " + sftOut + "\ndata: {runs: [" + run + ", " + otherRun + "], only_resolved: false}\n" + TINY);
    assertThat(crucible("train", "sft", "--config", sft.toString(), "--metrics-port", "0")).as(err).isZero();
    assertThat(err).containsPattern("sft: live metrics at http://127\\.0\\.0\\.1:\\d+/metrics");
    assertThat(out).contains("sft: 9 episodes", "steps 3", "final checkpoint " + sftOut.resolve("final"));
    assertThat(err).contains("sft step 1/3 loss ", "sft checkpoint " + sftOut.resolve("checkpoints/step-000002"));
    assertThat(sftOut.resolve("final/model.safetensors")).exists();
    assertThat(sftOut.resolve("final/tokenizer.json")).exists();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery(
            "SELECT count(*), min(step), max(step), bool_and(loss > 0), bool_and(tokens_per_second > 0) FROM read_parquet('"
                + sftOut.resolve("metrics") + "/**/*.parquet')")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(3);
      assertThat(rows.getInt(3)).isEqualTo(3);
      assertThat(rows.getBoolean(4)).isTrue();
      assertThat(rows.getBoolean(5)).isTrue();
    }

    assertThat(crucible("train", "sft", "--config", sft.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err).contains("already holds checkpoints", "pass --resume");
    assertThat(crucible("train", "sft", "--config", sft.toString(), "--resume")).as(err).isZero();
    assertThat(err).contains("sft resuming after step 3");

    Path dpoOut = temp.resolve("train/dpo");
    Path dpo = config("dpo.yaml", "output: " + dpoOut + "\nmodel: {checkpoint: " + sftOut.resolve("final") + "}\n"
        + "data: {runs: [" + run + ", " + otherRun + "]}\ndpo: {beta: 0.1, min_reward_gap: 0.0001, max_pairs_per_task: 2}\n"
        + "training: {sequence_length: 1536, batch_size: 2, max_steps: 2, warmup_steps: 0}\n");
    assertThat(crucible("train", "dpo", "--config", dpo.toString())).as(err).isZero();
    assertThat(out).contains("dpo: ", "reward accuracy");
    java.util.regex.Matcher printed = java.util.regex.Pattern.compile("(\\d+) pairs").matcher(out);
    assertThat(printed.find()).isTrue();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery(
            "SELECT count(*), bool_and(chosen_reward > rejected_reward), bool_and(chosen_reference_logprob < 0) FROM read_parquet('"
                + dpoOut.resolve("preference_pairs") + "/**/*.parquet')")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isPositive().isEqualTo(Long.parseLong(printed.group(1)));
      assertThat(rows.getBoolean(2)).isTrue();
      assertThat(rows.getBoolean(3)).isTrue();
    }

    // 16 tokens hold only the shared start of every conversation: each pair is the same there, so nothing is left to learn.
    Path cut = config("dpo-cut.yaml", Files.readString(dpo).replace(dpoOut.toString(), temp.resolve("train/dpo-cut").toString())
        .replace("sequence_length: 1536", "sequence_length: 16"));
    assertThat(crucible("train", "dpo", "--config", cut.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err).containsPattern("dpo: (\\d+) of the \\1 pairs are the same within training.sequence_length \\(16\\) and are left out")
        .contains("every preference pair is the same within training.sequence_length 16");
  }

  @Test
  void aBadConfigIsRejectedWholeBeforeAnythingStarts() throws Exception {
    Path bad = config("bad.yaml", """
        output: %s
        model:
          random: {hidden_size: 30, heads: 4}
        data: {}
        training:
          learning_rate: fast
          batch_size: 0
          warmup: 3
        """.formatted(temp.resolve("never")));
    assertThat(crucible("train", "sft", "--config", bad.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err)
        .contains(bad + ":3: field 'model.random': hidden_size 30 is not a multiple of num_attention_heads 4")
        .contains("field 'data.runs': required")
        .contains(bad + ":6: field 'training.learning_rate': expected a number, got 'fast'")
        .contains(bad + ":7: field 'training.batch_size': must be at least 1, got 0")
        .contains(bad + ":8: field 'training.warmup': unknown key");
    assertThat(temp.resolve("never")).doesNotExist();
  }

  @Test
  void aBadRlConfigIsRejectedWholeBeforeSparkStarts() throws Exception {
    Path bad = config("bad-rl.yaml", """
        output: %s
        model:
          random: {hidden_size: 32, heads: 2}
        tasks: %s
        rollout: {samples: 1, tasks_per_iteration: -1, embeddings: "localhost:8000/v1#bge"}
        rl: {lambda: 2, aggregation: mean}
        evaluation: {every: 0}
        reward: {tokens: -0.1, bonus: 1}
        """.formatted(temp.resolve("never-rl"), temp.resolve("no-tasks.jsonl")));
    assertThat(crucible("train", "ppo", "--config", bad.toString(), "--dump-batches", "1")).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err)
        .contains(bad + ":4: field 'tasks'")
        .contains(bad + ":5: field 'rollout.samples': must be at least 2, got 1")
        .contains(bad + ":5: field 'rollout.tasks_per_iteration': must be at least 0, got -1")
        .contains(bad + ":5: field 'rollout.embeddings': the embeddings endpoint 'localhost:8000/v1' needs an http(s) base URL")
        .contains(bad + ":6: field 'rl.lambda'")
        .contains(bad + ":6: field 'rl.aggregation': unknown loss aggregation 'mean'")
        .contains("field 'evaluation.tasks': required")
        .contains(bad + ":7: field 'evaluation.every': must be at least 1, got 0")
        .contains(bad + ":8: field 'reward.tokens': must be between 0.0 and 1000.0, got -0.1")
        .contains(bad + ":8: field 'reward.bonus'");
    assertThat(temp.resolve("never-rl")).doesNotExist();
  }

  @Test
  void klInTheRewardIsRefusedForGrpo() throws Exception {
    Path grpo = config("kl-reward.yaml", """
        output: %s
        model: {random: {hidden_size: 32, heads: 2}}
        tasks: %s
        repositories: %s
        rl: {kl_in_reward: true}
        """.formatted(temp.resolve("never-kl"), temp.resolve("kl-reward.yaml"), temp));
    assertThat(crucible("train", "grpo", "--config", grpo.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err).contains("rl.kl_in_reward is PPO's", "grpo takes the KL as k3 in the loss");
    assertThat(temp.resolve("never-kl")).doesNotExist();
  }

  @Test
  void modesAndTheMetaControllerAreCheckedWithTheirLines() throws Exception {
    Path bad = config("bad-modes.yaml", """
        output: %s
        model: {random: {hidden_size: 32, heads: 2}}
        tasks: %s
        repositories: %s
        rollout: {mode: auto}
        modes:
          fast: {max_steps: 0, tools: [view_file, teleport]}
          survey: {tools: []}
        rl: {shaping: bonus}
        """.formatted(temp.resolve("never-modes"), temp.resolve("bad-modes.yaml"), temp));
    assertThat(crucible("train", "grpo", "--config", bad.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err)
        .contains(bad + ":5: field 'rollout.mode': auto needs a meta section")
        .contains(bad + ":7: field 'modes.fast.max_steps': must be at least 1, got 0")
        .contains(bad + ":7: field 'modes.fast.tools': unknown tools [teleport]")
        .contains(bad + ":8: field 'modes.survey': a mode that is not built in (fast, standard, deep) needs max_steps and guidance")
        .contains(bad + ":8: field 'modes.survey.tools': an empty list offers no tool")
        .contains(bad + ":9: field 'rl.shaping': unknown shaping 'bonus'; use progress or milestones");
    Path metaWithoutAuto = config("meta-fixed.yaml", """
        output: %s
        model: {random: {hidden_size: 32, heads: 2}}
        tasks: %s
        repositories: %s
        rollout: {mode: deep}
        meta: {lambda: 0.01}
        """.formatted(temp.resolve("never-meta"), temp.resolve("meta-fixed.yaml"), temp));
    assertThat(crucible("train", "grpo", "--config", metaWithoutAuto.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err).contains(metaWithoutAuto + ":6: field 'meta.lambda': a meta section needs rollout.mode: auto");
  }
}
