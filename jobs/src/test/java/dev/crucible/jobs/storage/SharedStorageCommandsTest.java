package dev.crucible.jobs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.Outcome;
import dev.crucible.data.RunLayout;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HostCache;
import dev.crucible.data.io.MirroredDirectory;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.Cli;
import dev.crucible.rollout.agent.DjlPolicyTest;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.trainer.train.MetricsSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.file.PathUtils;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands run as a user runs them, with their storage on HDFS (Hadoop's MiniDFSCluster): {@code train sft}
 * learning from runs on HDFS, starting from a checkpoint there and publishing its output there (and resuming
 * on a host that has none of it); {@code train grpo} whose executors sample the policy published on HDFS and
 * write their episodes there; the pipeline's task generation and rollout into a run directory on HDFS.
 */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class SharedStorageCommandsTest {
  @TempDir static Path temp;
  private static MiniHdfs cluster;
  private static FileSystem hdfs;

  @BeforeAll
  static void start() throws Exception {
    cluster = new MiniHdfs(temp.resolve("hdfs"));
    hdfs = cluster.fileSystem();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void sftLearnsFromRunsOnHdfsStartingFromACheckpointOnHdfsAndPublishesItsOutputThere() throws Exception {
    org.apache.hadoop.fs.Path run = cluster.path("/runs/expert");
    TrajectoryStore store = new TrajectoryStore(run, hdfs.getConf());
    SyntheticTrajectories synthetic = new SyntheticTrajectories(8, 300);
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
      for (int sample = 0; sample < 4; sample++) {
        writer.write(synthetic.episode("expert", 0, "task-" + sample % 2, sample, 5));
      }
      writer.commit();
    }
    org.apache.hadoop.fs.Path start = cluster.path("/models/start");
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(DjlPolicyTest.tinyCheckpoint(temp.resolve("start")).toUri()), start);
    org.apache.hadoop.fs.Path output = cluster.path("/train/sft");
    Path config = temp.resolve("sft.yaml");
    Files.writeString(config, "output: " + output + "\nmodel: {checkpoint: " + start + "}\ndata: {runs: [" + run + "], only_resolved: false}\n"
        + "training: {sequence_length: 2048, batch_size: 2, max_steps: 3, checkpoint_every: 2, warmup_steps: 1, log_every: 1}\n");

    Cli.Result trained = Cli.run("train", "sft", "--config", config.toString());

    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("sft: 4 episodes", "steps 3");
    RunLayout layout = new RunLayout(output);
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(layout.finalCheckpoint(), "model.safetensors"))).isTrue();
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(layout.finalCheckpoint(), "tokenizer.json"))).isTrue();
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(layout.checkpoints(), "step-000002/trainer_state.json"))).isTrue();
    assertThat(MetricsSink.read(layout.metrics(), hdfs.getConf(), "sft")).hasSize(3);
    assertThat(trained.err()).containsPattern("output: \\d+ files published to " + output);

    // Another host: nothing of the output on its disk; --resume brings the checkpoints down from HDFS.
    PathUtils.deleteDirectory(MirroredDirectory.inCache(output, HostCache.onThisHost()).local());
    Cli.Result resumed = Cli.run("train", "sft", "--config", config.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).containsPattern("output: " + output + " worked on in .* \\(\\d+ files brought down\\)")
        .contains("sft resuming after step 3");
  }

  @Test
  void grpoRollsOutThePolicyPublishedOnHdfsIntoEpisodesOnHdfs() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    org.apache.hadoop.fs.Path tasks = cluster.path("/tasks/tasks.jsonl");
    SweBenchTasks.write(tasks, hdfs.getConf(), List.of(sample.task("fixture__textops-1", "fixture/textops")));
    new TaskRepositories(cluster.path("/tasks/repos")).writeBundle("fixture/textops", sample.repository(), hdfs.getConf());
    org.apache.hadoop.fs.Path output = cluster.path("/train/grpo");
    Path config = temp.resolve("grpo.yaml");
    Files.writeString(config, """
        output: %s
        model: {random: {hidden_size: 32, intermediate_size: 64, layers: 1, heads: 2, kv_heads: 1, context: 4096}}
        tasks: %s
        rollout: {samples: 2, max_workers: 2, temperature: 1.0, episode_timeout: 300, mode: fast}
        modes: {fast: {max_steps: 2}}
        rl: {iterations: 1, epochs: 1, minibatch: 4, kl_beta: 0}
        training: {sequence_length: 4096, batch_size: 1, learning_rate: 0.001}
        evaluation: {tasks: %s, every: 1, samples: 1, temperature: 0}
        """.formatted(output, tasks, tasks));

    Cli.Result trained = Cli.run("train", "grpo", "--config", config.toString(), "--master", "local[2]");

    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("grpo: 1 iterations run");
    RunLayout layout = new RunLayout(output);
    List<Trajectory> episodes = new TrajectoryStore(layout.rollouts().root(), hdfs.getConf()).readTrajectories(0);
    assertThat(episodes).hasSize(2).allSatisfy(episode -> {
      assertThat(episode.outcome()).as(episode.outcomeReason()).isNotEqualTo(Outcome.INFRA_ERROR);
      assertThat(episode.policyVersion()).isEqualTo("djl:" + new org.apache.hadoop.fs.Path(output, "policies/iteration-000000") + "#1.0");
    });
    assertThat(new TrajectoryStore(layout.stage(RunLayout.HELD_OUT).root(), hdfs.getConf()).readTrajectories()).isNotEmpty()
        .allSatisfy(episode -> assertThat(episode.policyVersion()).startsWith("djl:" + output + "/policies/"));
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(output, "policies/iteration-000001/trainer_state.json"))).isTrue();
    assertThat(hdfs.isDirectory(layout.iterations())).isTrue();
  }

  @Test
  void thePipelinePublishesGeneratedTasksWithTheirBundlesAndRollsOutOnThemInARunOnHdfs() throws Exception {
    org.apache.hadoop.fs.Path runs = cluster.path("/pipeline-runs");
    Path config = temp.resolve("pipeline.yaml");
    Files.writeString(config, """
        run_id: shared
        runs_dir: %s
        generate: {repositories: [../examples/repos/textkit], tasks_per_repository: 2, hints: [fix], held_out: 0, seed: 0}
        spark: {master: "local[2]"}
        rollout: {policy: scripted, scaffold: single, mode: standard, samples: 1, max_workers: 2}
        """.formatted(runs));

    Cli.Result piped = Cli.run("pipeline", "--config", config.toString());

    assertThat(piped.exitCode()).as(piped.err()).isZero();
    RunLayout run = new RunLayout(new org.apache.hadoop.fs.Path(runs, "shared"));
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(run.repositories(), "local__textkit.bundle"))).isTrue();
    assertThat(hdfs.listStatus(run.repositories())).as("only bundles travel").allSatisfy(entry -> assertThat(entry.isFile()).isTrue());
    List<Trajectory> episodes = new TrajectoryStore(run.root(), hdfs.getConf()).readTrajectories();
    assertThat(episodes).hasSize(SweBenchTasks.read(run.tasks(), hdfs.getConf()).size()).isNotEmpty()
        .allSatisfy(episode -> assertThat(episode.outcome()).isEqualTo(Outcome.RESOLVED));
  }
}
