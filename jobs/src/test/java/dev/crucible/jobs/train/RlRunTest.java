package dev.crucible.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.Cli;
import dev.crucible.jobs.CrucibleCommand;
import dev.crucible.jobs.serve.ChatCompletionsServer;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.tasks.GeneratedTasks;
import dev.crucible.rollout.tasks.LocalTrialRunner;
import dev.crucible.rollout.tasks.TaskGenerator;
import dev.crucible.trainer.chat.ChatModel;
import dev.crucible.trainer.io.SafeTensors;
import dev.crucible.trainer.lora.AdapterConfig;
import dev.crucible.trainer.lora.LoraAdapters;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.rl.ValueHead;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.Packer;
import dev.crucible.trainer.train.TokenSequences;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible train grpo} in its short configuration: a random tiny policy; per iteration, one of two
 * generated tasks (a batch drawn per iteration) × two samples and greedy episodes on a third, held-out
 * task; two iterations of real episodes in Docker sandboxes on Spark local mode, then a resume. An
 * untrained model resolves nothing, so it learns nothing worth measuring; this checks the loop.
 */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RlRunTest {
  @TempDir static Path temp;
  private String out;
  private String err;

  private int crucible(String... args) {
    Cli.Result result = Cli.run(args);
    out = result.out();
    err = result.err();
    return result.exitCode();
  }

  /** Three tasks of textkit at hint level line: two to train on, one held out. */
  @BeforeAll
  static void generateTasks() {
    SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
    try (LocalTrialRunner trials = new LocalTrialRunner(docker, 2)) {
      var generated = new TaskGenerator(docker, trials, new TaskGenerator.Options(3, 4, SandboxSpec.DEFAULT_IMAGE, Duration.ofSeconds(60), HintLevel.LINE),
              new PrintStream(new ByteArrayOutputStream()))
          .generate(Path.of("../examples/repos/textkit"), temp);
      GeneratedTasks.Split split = GeneratedTasks.split(generated, 1);
      GeneratedTasks.write(new org.apache.hadoop.fs.Path(temp.resolve("tasks.jsonl").toString()), new Configuration(), split.train());
      GeneratedTasks.write(new org.apache.hadoop.fs.Path(temp.resolve("held-out.jsonl").toString()), new Configuration(), split.heldOut());
    }
  }

  @Test
  void inAutoModeTheMetaControllerDrawsEachEpisodesModeAndLearnsFromItsReturn() throws Exception {
    Path output = temp.resolve("auto");
    Path config = config("auto", ", mode: auto", "iterations: 1, epochs: 1, minibatch: 4, kl_beta: 0",
        "modes: {fast: {max_steps: 2}, standard: {max_steps: 3}, deep: {max_steps: 4}}\nmeta: {lambda: 0.001, hidden: 4, learning_rate: 0.1}");
    assertThat(crucible("train", "grpo", "--config", config.toString(), "--master", "local[2]")).as(err).isZero();
    assertThat(out).contains("grpo: 1 iterations run");
    List<Trajectory> episodes = new TrajectoryStore(HadoopFiles.local(output.resolve("rollouts")), new Configuration()).readTrajectories(0);
    assertThat(episodes).hasSize(2).allSatisfy(episode -> {
      assertThat(episode.modeChooser()).isEqualTo(dev.crucible.data.ModeChooser.META_CONTROLLER);
      assertThat(episode.mode()).isIn("fast", "standard", "deep");
    });
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery("SELECT count(*), bool_and(abs(list_sum(probabilities) - 1) < 1e-5),"
            + " bool_and(abs(probabilities[1] - 1.0 / 3) < 1e-6), bool_and(cost_adjusted_return IS NOT NULL), max(len(features)),"
            + " string_agg(chosen_mode, ',' ORDER BY sample_index) FROM read_parquet('" + output.resolve("mode_decisions") + "/**/*.parquet')")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).as("one decision per episode").isEqualTo(2);
      assertThat(rows.getBoolean(2)).isTrue();
      assertThat(rows.getBoolean(3)).as("an untrained controller picks every mode alike").isTrue();
      assertThat(rows.getBoolean(4)).as("each graded episode returned something").isTrue();
      assertThat(rows.getInt(5)).as("8 task features and the start model's 32-wide embedding").isEqualTo(8 + 32);
      assertThat(rows.getString(6)).isEqualTo(episodes.stream().sorted(java.util.Comparator.comparingInt(Trajectory::sampleIndex))
          .map(Trajectory::mode).collect(java.util.stream.Collectors.joining(",")));
    }
    Path first = output.resolve("meta/iteration-000000").resolve(dev.crucible.trainer.meta.MetaController.WEIGHTS);
    Path second = output.resolve("meta/iteration-000001").resolve(dev.crucible.trainer.meta.MetaController.WEIGHTS);
    assertThat(Files.readAllBytes(second)).as("the controller learned from the iteration").isNotEqualTo(Files.readAllBytes(first));
  }

  @Test
  void ppoTrainsItsValueHeadWithThePolicy() throws Exception {
    Path output = temp.resolve("ppo");
    Path config = config("ppo", "", "iterations: 1, epochs: 1, minibatch: 4, kl_beta: 0, gamma: 1, lambda: 0.95", "");
    assertThat(crucible("train", "ppo", "--config", config.toString(), "--master", "local[2]")).as(err).isZero();
    assertThat(out).contains("ppo iteration 0: 2 episodes", "ppo: 1 iterations run");
    byte[] before = Files.readAllBytes(output.resolve("policies/iteration-000000").resolve(ValueHead.FILE));
    byte[] after = Files.readAllBytes(output.resolve("policies/iteration-000001").resolve(ValueHead.FILE));
    assertThat(after).as("the value head was trained").isNotEqualTo(before);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery("SELECT count(*), bool_and(value_loss > 0), min(stage), bool_and(kl_k3 IS NULL) FROM read_parquet('"
            + output.resolve("metrics") + "/**/*.parquet', hive_partitioning = true)")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isPositive();
      assertThat(rows.getBoolean(2)).as("every step fitted the value head").isTrue();
      assertThat(rows.getString(3)).isEqualTo("ppo");
      assertThat(rows.getBoolean(4)).as("kl_beta 0: no reference, so no KL figures").isTrue();
    }
  }

  @Test
  void withAStalenessBoundTheNextRolloutSamplesThePreviousPolicyWhileTheDriverTrains() throws Exception {
    Path output = temp.resolve("async");
    Path config = config("async", "", "iterations: 2, epochs: 1, minibatch: 4, kl_beta: 0",
        "reward: {tokens: 0.001, lint: 0}\nasync: {max_staleness: 1}");
    assertThat(crucible("train", "grpo", "--config", config.toString(), "--master", "local[2]")).as(err).isZero();
    assertThat(out).contains("grpo iteration 0: 2 episodes", "grpo iteration 1: 2 episodes", "(sampled by policy 0, staleness 1)",
        "grpo: 2 iterations run");
    assertThat(output.resolve("policies/iteration-000002/trainer_state.json")).exists();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      ResultSet rows = duck.createStatement().executeQuery("SELECT iteration, rollout_policy FROM read_parquet('"
          + output.resolve(RlRun.ITERATIONS) + "/**/*.parquet') ORDER BY iteration");
      for (int iteration = 0; iteration < 2; iteration++) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(2)).as("iteration %d was sampled by policy 0", iteration).isZero();
      }
      ResultSet versions = duck.createStatement().executeQuery("SELECT DISTINCT policy_version FROM read_parquet('"
          + output.resolve("rollouts/trajectories") + "/iteration=1/*.parquet')");
      assertThat(versions.next()).isTrue();
      assertThat(versions.getString(1)).as("the episodes name the policy that sampled them").contains("iteration-000000");
      assertThat(versions.next()).as("one policy per rollout").isFalse();
    }
  }

  @Test
  void withLoraAndARolloutServerEachPolicyVersionIsAnAdapterPublishedAndSampledUnderItsOwnName() throws Exception {
    Path base = temp.resolve("server-base"); // The frozen base: the run's start model and what the server starts with.
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      Qwen2Model.random(new Qwen2Config(tokenizer.vocabularySize(), 32, 64, 1, 2, 1, 4096, 1e-6, 10000, true, 0, 0), 3, manager)
          .save(base, Long.MAX_VALUE);
      tokenizer.save(base);
    }
    Path output = temp.resolve("served");
    try (ChatModel baseModel = ChatModel.load(base); ChatCompletionsServer server = new ChatCompletionsServer(baseModel, "base", "127.0.0.1", 0)) {
      String url = "http://127.0.0.1:" + server.port() + "/v1";
      Path config = config("served", "model: {checkpoint: " + base + "}", ", server: " + url, "iterations: 2, epochs: 1, minibatch: 4, kl_beta: 0.02",
          "reward: {tokens: 0.001, lint: 0}\nlora: {rank: 4, alpha: 8, targets: [q_proj, v_proj]}\n"
              + "evaluation: {tasks: " + temp.resolve("held-out.jsonl") + ", every: 2}");
      assertThat(crucible("train", "grpo", "--config", config.toString(), "--master", "local[2]")).as(err).isZero();
      assertThat(out).contains("grpo: 2 iterations run", "grpo policy iteration-000002 held out: 1 episodes");
      assertThat(new PolicyPublisher(url, PolicyPublisher.Weights.LORA_ADAPTER).served()).as("the older version withdrawn")
          .containsExactlyInAnyOrder("base", "served-policy-000001");
      for (int version = 0; version <= 2; version++) {
        Path policy = output.resolve(String.format("policies/iteration-%06d", version));
        assertThat(AdapterConfig.read(policy)).isEqualTo(new AdapterConfig(4, 8, List.of("q_proj", "v_proj"), base.toString()));
        assertThat(policy.resolve("model.safetensors")).as("a policy is an adapter, not a copy of the base").doesNotExist();
      }
      try (NDManager manager = NDManager.newBaseManager()) {
        float[] untrained = loraBValues(output.resolve("policies/iteration-000000"), manager);
        assertThat(untrained).as("a fresh adapter changes nothing").containsOnly(0f);
        assertThat(loraBValues(output.resolve("policies/iteration-000002"), manager)).as("the adapters trained").isNotEqualTo(untrained);
      }
      try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
        ResultSet rows = duck.createStatement().executeQuery("SELECT iteration, min(policy_version), max(policy_version) FROM read_parquet('"
            + output.resolve("rollouts/trajectories") + "/*/*.parquet', hive_partitioning = true) GROUP BY iteration ORDER BY iteration");
        for (int iteration = 0; iteration < 2; iteration++) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(2)).isEqualTo(rows.getString(3)).isEqualTo("openai:" + url + "#served-policy-00000" + iteration);
        }
        ResultSet trained = duck.createStatement().executeQuery("SELECT min(sampled_tokens) FROM read_parquet('"
            + output.resolve(RlRun.ITERATIONS) + "/**/*.parquet')");
        assertThat(trained.next()).isTrue();
        assertThat(trained.getLong(1)).as("the server's token ids and log-probs were trained on").isPositive();
        ResultSet kl = duck.createStatement().executeQuery("SELECT max(kl_k3) FROM read_parquet('" + output.resolve("metrics") + "/**/*.parquet')");
        assertThat(kl.next()).isTrue();
        assertThat(kl.getDouble(1)).as("the reference is the base without the adapters").isGreaterThan(0);
      }
    }
  }

  /** Every {@code lora_B} value of the adapter in {@code policy}, in file order. */
  private static float[] loraBValues(Path policy, NDManager manager) {
    List<Float> values = new ArrayList<>();
    SafeTensors.read(policy.resolve(LoraAdapters.WEIGHTS_FILE), manager).entrySet().stream().filter(e -> e.getKey().contains("lora_B"))
        .sorted(Map.Entry.comparingByKey()).forEach(entry -> {
          for (float value : entry.getValue().toFloatArray()) {
            values.add(value);
          }
        });
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  @Test
  void twoIterationsLeavePoliciesMetricsAndTokenExactEpisodesAndAResumeReachesTheSameWeights() throws Exception {
    Path output = temp.resolve("rl");
    Path config = config("rl", "", "iterations: 2, epochs: 1, minibatch: 4, kl_beta: 0.02",
        "evaluation: {tasks: " + temp.resolve("held-out.jsonl") + ", every: 2}\nreward: {tokens: 0.001, lint: 0}");

    assertThat(crucible("train", "grpo", "--config", config.toString(), "--master", "local[2]", "--dump-batches", "2")).as(err).isZero();
    assertThat(out).contains("grpo iteration 0: 2 episodes", "grpo iteration 1: 2 episodes", "grpo: 2 iterations run",
        "grpo policy iteration-000002 held out: 1 episodes");
    for (int iteration = 0; iteration <= 2; iteration++) {
      assertThat(output.resolve(String.format("policies/iteration-%06d/trainer_state.json", iteration))).exists();
    }

    // The metrics table: one row per optimizer step, numbered across iterations, with the RL figures.
    long steps;
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery(
            "SELECT count(*), min(step), max(step), bool_and(clip_fraction IS NOT NULL AND kl_k3 >= 0 AND entropy > 0), min(stage) FROM read_parquet('"
                + output.resolve("metrics") + "/**/*.parquet', hive_partitioning = true)")) {
      assertThat(rows.next()).isTrue();
      steps = rows.getLong(1);
      assertThat(steps).isPositive();
      assertThat(rows.getLong(2)).isEqualTo(1);
      assertThat(rows.getLong(3)).isEqualTo(steps);
      assertThat(rows.getBoolean(4)).isTrue();
      assertThat(rows.getString(5)).isEqualTo("grpo");
    }

    // --dump-batches 2: the first two steps' tokens, from which SQL recomputes each step's logged loss
    // (the clipped surrogate with clip-higher and the dual clip, the truncated importance weight, k3).
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery("""
            WITH t AS (SELECT *, exp(current_logprob - old_logprob) AS ratio, reference_logprob - current_logprob AS r
                       FROM read_parquet('%s/*.parquet') WHERE loss_mask),
                 s AS (SELECT step, greatest(-advantage * ratio, -advantage * least(greatest(ratio, 0.8), 1.28)) AS surrogate,
                              advantage, least(exp(old_logprob - rollout_logprob), 2) AS weight, exp(r) - r - 1 AS k3, step_loss FROM t)
            SELECT step, count(*), avg(CASE WHEN advantage < 0 THEN least(surrogate, -3 * advantage) ELSE surrogate END * weight + 0.02 * k3),
                   min(step_loss) FROM s GROUP BY step ORDER BY step""".formatted(output.resolve(RlRun.BATCHES)))) {
      for (int step = 1; step <= 2; step++) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(step);
        assertThat(rows.getLong(2)).isPositive();
        assertThat(rows.getDouble(3)).as("step %d's loss recomputed", step).isCloseTo(rows.getDouble(4), within(1e-4 + 1e-4 * Math.abs(rows.getDouble(4))));
      }
      assertThat(rows.next()).isFalse();
    }

    // The iterations table: one row per iteration; policy 0 was evaluated on the held-out task (every: 2),
    // policy 1 was not, and the last policy's held-out episodes are stored beside policy 0's.
    assertIterationRows(output);
    TrajectoryStore heldOut = new TrajectoryStore(HadoopFiles.local(output.resolve(RlRun.HELD_OUT)), new Configuration());
    assertThat(heldOut.readTrajectories(0)).hasSize(1).allSatisfy(t -> assertThat(t.policyVersion()).endsWith("iteration-000000#0.0"));
    assertThat(heldOut.readTrajectories(1)).isEmpty();
    assertThat(heldOut.readTrajectories(2)).hasSize(1).allSatisfy(t -> assertThat(t.policyVersion()).endsWith("iteration-000002#0.0"));
    assertThat(heldOut.readTrajectories(0)).filteredOn(t -> t.reward() != null && !t.reward().resolved()).allSatisfy(t -> assertThat(t.reward().total())
        .as("graded with the config's weights").isCloseTo(-0.001 * t.reward().tokens(), within(1e-9)));

    // Each iteration rolled out its own policy, and what trains is exactly what was sampled.
    TrajectoryStore store = new TrajectoryStore(HadoopFiles.local(output.resolve(RlRun.ROLLOUTS)), new Configuration());
    for (int iteration = 0; iteration < 2; iteration++) {
      List<Trajectory> episodes = store.readTrajectories(iteration);
      List<TaskInstance> batch = SweBenchTasks.read(HadoopFiles.local(
          output.resolve(RlRun.ROLLOUTS).resolve(String.format("batches/iteration-%06d.parquet", iteration))), new Configuration());
      assertThat(batch).hasSize(1);
      assertThat(episodes).hasSize(2).allSatisfy(episode -> assertThat(episode.taskId()).isEqualTo(batch.get(0).instanceId()));
      for (Trajectory episode : episodes) {
        assertThat(episode.policyVersion()).contains(String.format("iteration-%06d", iteration));
        // The config's reward weights reached the executors: unresolved, the reward is the token cost at tokens: 0.001.
        if (episode.reward() != null && !episode.reward().resolved()) {
          assertThat(episode.reward().total()).isCloseTo(-0.001 * episode.reward().tokens(), within(1e-9));
        }
        assertThat(TokenSequences.recorded(episode)).isTrue();
        List<Integer> sampled = episode.turns().stream().filter(t -> t.role().equals("assistant")).map(Turn::tokenIds)
            .flatMap(List::stream).toList();
        List<Integer> trained = new ArrayList<>();
        for (TokenSequences.Sequence sequence : TokenSequences.of(episode)) {
          PackedRow row = new Packer(4096).single(sequence.tokens());
          for (int t = 0; t < row.length(); t++) {
            if (row.lossMask()[t]) {
              trained.add((int) row.targets()[t]);
            }
          }
        }
        assertThat(trained).isEqualTo(sampled);
      }
    }

    // Killed after iteration 1's rollout, before its policy was saved: the resumed run rolls nothing out
    // again and reaches the same weights, bit for bit.
    Path last = output.resolve("policies/iteration-000002");
    byte[] weights = Files.readAllBytes(last.resolve("model.safetensors"));
    Map<String, Long> rolledOut = files(output.resolve(RlRun.ROLLOUTS).resolve("trajectories/iteration=1"));
    deleteTree(last);
    assertThat(crucible("train", "grpo", "--config", config.toString(), "--master", "local[2]")).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err).contains("already holds policies", "pass --resume");
    assertThat(crucible("train", "grpo", "--config", config.toString(), "--master", "local[2]", "--resume")).as(err).isZero();
    assertThat(out).contains("grpo iteration 1: 2 episodes", "grpo: 1 iterations run");
    assertThat(files(output.resolve(RlRun.ROLLOUTS).resolve("trajectories/iteration=1"))).isEqualTo(rolledOut);
    assertThat(Files.readAllBytes(last.resolve("model.safetensors"))).isEqualTo(weights);
    assertIterationRows(output);
  }

  /**
   * The short loop's config, written to {@code NAME.yaml}, its output {@code NAME}: the tiny random
   * model, one task of two per iteration, two samples of it.
   *
   * @param rollout more of the rollout section, each item after a comma
   * @param rl the rl section's items
   * @param sections more top-level sections, one a line
   */
  /**
   * The fast mode cut to three steps: the untrained model's turns are long and mostly invalid calls, and
   * training time grows with every turn, so shorter episodes keep these checks of the loop quick.
   */
  private static final String SHORT_FAST_MODE = "modes: {fast: {max_steps: 3}}";

  private static Path config(String name, String rollout, String rl, String sections) throws Exception {
    return config(name, "model: {random: {hidden_size: 32, intermediate_size: 64, layers: 1, heads: 2, kv_heads: 1, context: 4096}}",
        rollout, rl, sections);
  }

  private static Path config(String name, String model, String rollout, String rl, String sections) throws Exception {
    Path config = temp.resolve(name + ".yaml");
    Files.writeString(config, """
        output: %s
        %s
        tasks: %s
        rollout: {samples: 2, tasks_per_iteration: 1, max_workers: 2, temperature: 1.0, episode_timeout: 300%s}
        rl: {%s}
        training: {sequence_length: 4096, batch_size: 1, learning_rate: 0.001}
        %s
        """.formatted(temp.resolve(name), model, temp.resolve("tasks.jsonl"), rollout.contains("mode:") ? rollout : rollout + ", mode: fast", rl,
            sections.contains("modes:") ? sections : sections + "\n" + SHORT_FAST_MODE));
    return config;
  }

  private static void assertIterationRows(Path output) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery(
            "SELECT iteration, stage, episodes, groups, sequences, sampled_tokens > 0, held_out_episodes, held_out_resolve_rate IS NULL,"
                + " rollout_seconds > 0, train_seconds > 0, rollout_policy FROM read_parquet('" + output.resolve(RlRun.ITERATIONS)
                + "/**/*.parquet', hive_partitioning = true) ORDER BY iteration")) {
      for (int iteration = 0; iteration < 2; iteration++) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(iteration);
        assertThat(rows.getString(2)).isEqualTo("grpo");
        assertThat(rows.getInt(3)).isEqualTo(2);
        assertThat(rows.getInt(4)).isEqualTo(1);
        assertThat(rows.getInt(5)).isPositive();
        assertThat(rows.getBoolean(6)).isTrue();
        rows.getObject(7);
        assertThat(rows.wasNull()).as("held out at iteration " + iteration).isEqualTo(iteration == 1);
        if (iteration == 0) {
          assertThat(rows.getInt(7)).isEqualTo(1);
          assertThat(rows.getBoolean(8)).as("a resolve rate, 0 or more").isFalse();
        }
        assertThat(rows.getBoolean(9)).isTrue();
        assertThat(rows.getBoolean(10)).isTrue();
        assertThat(rows.getInt(11)).as("on-policy: each iteration rolls out its own policy").isEqualTo(iteration);
      }
      assertThat(rows.next()).as("one row per iteration, a rerun's replacing the first").isFalse();
    }
  }

  /** The part files of a folder with their modification times. */
  private static Map<String, Long> files(Path dir) throws Exception {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.toList()) {
        files.put(file.getFileName().toString(), Files.getLastModifiedTime(file).toMillis());
      }
    }
    return files;
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
