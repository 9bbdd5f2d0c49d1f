package dev.crucible.jobs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.Outcome;
import dev.crucible.data.Prediction;
import dev.crucible.data.RunLayout;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HostCache;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.swebench.SweBenchPredictions;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.evaluate.EvaluateSettings;
import dev.crucible.jobs.evaluate.EvaluationRun;
import dev.crucible.jobs.evaluate.EvaluationSummary;
import dev.crucible.jobs.rollout.RolloutRun;
import dev.crucible.jobs.rollout.RolloutSettings;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.agent.DjlPolicyTest;
import dev.crucible.rollout.agent.EpisodeRunner;
import dev.crucible.rollout.agent.Mode;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout and an evaluation whose every input and output lives on a second file system: HDFS, a real
 * NameNode and DataNode in this JVM (Hadoop's MiniDFSCluster). The tasks, the task repositories (as git
 * bundles), the predictions and the checkpoint the policy samples from are on HDFS, and so are the run
 * directories; the executors fetch the bundle and the checkpoint into the host cache.
 */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class SecondFileSystemTest {
  private static final String REPO = "fixture/textops";

  @TempDir static Path temp;
  private static MiniHdfs cluster;
  private static FileSystem hdfs;
  private static SparkSession spark;
  private static SampleTask sample;
  private static org.apache.hadoop.fs.Path data;

  @BeforeAll
  static void start() throws IOException {
    cluster = new MiniHdfs(temp.resolve("hdfs"));
    hdfs = cluster.fileSystem();
    data = cluster.path("/data");
    sample = SampleTask.create(temp.resolve("textops"));
    new TaskRepositories(new org.apache.hadoop.fs.Path(data, "repos")).writeBundle(REPO, sample.repository(), hdfs.getConf());
    spark = SparkSessions.create("second-file-system-test", "local[2]", Map.of());
  }

  @AfterAll
  static void stop() throws IOException {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Set<Path> cacheEntries() throws IOException {
    Path root = HostCache.onThisHost().root();
    if (!Files.isDirectory(root)) {
      return Set.of();
    }
    try (Stream<Path> entries = Files.list(root)) {
      return entries.collect(Collectors.toSet());
    }
  }

  @Test
  void aRolloutSamplesACheckpointFromHdfsOnRepositoriesFromHdfsIntoARunOnHdfs() throws IOException {
    org.apache.hadoop.fs.Path checkpoint = new org.apache.hadoop.fs.Path(data, "models/tiny");
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(DjlPolicyTest.tinyCheckpoint(temp.resolve("tiny")).toUri()), checkpoint);
    org.apache.hadoop.fs.Path tasks = new org.apache.hadoop.fs.Path(data, "rollout-tasks.jsonl");
    SweBenchTasks.write(tasks, hdfs.getConf(), List.of(sample.task("fixture__textops-1", REPO)));
    RunLayout run = new RunLayout(hdfs.makeQualified(new org.apache.hadoop.fs.Path("/runs/rollout")));
    String policy = "djl:" + checkpoint + "#1.0";
    Modes shortModes = new Modes(List.of(new Mode(Mode.FAST.name(), 2, Mode.FAST.guidance(), Mode.FAST.tools())));
    RolloutSettings settings = new RolloutSettings(run.root().toString(), 0, policy, "single", Mode.FAST.name(), shortModes, 2, 2,
        SandboxChoice.docker(), 0, 3, EpisodeRunner.DEFAULT_EPISODE_TIMEOUT, -1, true, RewardWeights.defaults(), 0);

    List<Trajectory> episodes =
        new RolloutRun(settings, new PrintStream(new ByteArrayOutputStream())).run(spark, tasks, new org.apache.hadoop.fs.Path(data, "repos"));

    assertThat(episodes).hasSize(2).allSatisfy(episode -> {
      // An untrained model acts and does not solve; an infra error would mean the bundle or checkpoint never arrived.
      assertThat(episode.outcome()).as(episode.outcomeReason()).isIn(Outcome.UNRESOLVED, Outcome.AGENT_ERROR);
      assertThat(episode.policyVersion()).isEqualTo(policy);
      assertThat(episode.turns()).isNotEmpty();
    });
    assertThat(new TrajectoryStore(run.root(), hdfs.getConf()).readTrajectories()).hasSize(2);
    assertThat(hdfs.isFile(run.tasks())).isTrue();
    assertThat(hdfs.isFile(run.rolloutMetrics(0))).isTrue();
    assertThat(cacheEntries()).anySatisfy(entry -> assertThat(entry.getFileName().toString()).startsWith("tiny-"))
        .anySatisfy(entry -> assertThat(entry.getFileName().toString()).startsWith("fixture__textops.git-"));
  }

  @Test
  void anEvaluationGradesPredictionsFromHdfsOnRepositoriesFromHdfsIntoReportsOnHdfs() throws IOException {
    String breaking = "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -5,2 +5,2 @@ def shout(text):\n"
        + " def shout(text):\n-    return text.upper() + \"!\"\n+    return text.upper() + \"?\"\n";
    List<TaskInstance> tasks = List.of(sample.task("fixture__textops-gold", REPO), sample.task("fixture__textops-breaking", REPO));
    org.apache.hadoop.fs.Path tasksFile = new org.apache.hadoop.fs.Path(data, "evaluate-tasks.jsonl");
    org.apache.hadoop.fs.Path predictions = new org.apache.hadoop.fs.Path(data, "predictions.jsonl");
    SweBenchTasks.write(tasksFile, hdfs.getConf(), tasks);
    SweBenchPredictions.write(predictions, hdfs.getConf(), List.of(
        new Prediction("fixture__textops-gold", "test/model", sample.goldPatch()), new Prediction("fixture__textops-breaking", "test/model", breaking)));
    org.apache.hadoop.fs.Path out = hdfs.makeQualified(new org.apache.hadoop.fs.Path("/evaluations"));
    EvaluateSettings settings = new EvaluateSettings("hdfs-run", out.toString(), 2, false, SandboxChoice.docker(), Duration.ofMinutes(5), 3,
        false, false, ImageLimits.DEFAULT, new org.apache.hadoop.fs.Path(out, "reports").toString());

    EvaluationSummary summary = new EvaluationRun(settings, new PrintStream(new ByteArrayOutputStream()))
        .run(spark, tasksFile, predictions, new org.apache.hadoop.fs.Path(data, "repos"));

    assertThat(summary.official().get("resolved_ids")).isEqualTo(List.of("fixture__textops-gold"));
    assertThat(summary.official().get("unresolved_ids")).isEqualTo(List.of("fixture__textops-breaking"));
    assertThat(hdfs.listStatus(new org.apache.hadoop.fs.Path(out, "reports"))).extracting(status -> status.getPath().getName())
        .contains("test__model.hdfs-run.json");
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(out, "hdfs-run/rewards"))).isTrue();
  }
}
