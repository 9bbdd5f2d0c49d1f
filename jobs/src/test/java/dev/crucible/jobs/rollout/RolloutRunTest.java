package dev.crucible.jobs.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.HintLevel;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.evaluation.OfficialLayoutImage;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxLabels;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.tasks.GeneratedTasks;
import dev.crucible.rollout.tasks.LocalTrialRunner;
import dev.crucible.rollout.tasks.TaskGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** crucible rollout on Spark local mode with the scripted expert on tasks from a bundled repository. */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class RolloutRunTest {
  @TempDir static Path temp;
  private static SparkSession spark;
  private static org.apache.hadoop.fs.Path tasksFile;

  @BeforeAll
  static void prepare() {
    SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
    try (LocalTrialRunner trials = new LocalTrialRunner(docker, 2)) {
      var generated =
          new TaskGenerator(docker, trials, new TaskGenerator.Options(3, 4, SandboxSpec.DEFAULT_IMAGE, Duration.ofSeconds(60), HintLevel.NONE),
                  new PrintStream(new ByteArrayOutputStream()))
              .generate(Path.of("../examples/repos/textkit"), temp);
      tasksFile = new org.apache.hadoop.fs.Path(temp.resolve("tasks.jsonl").toString());
      GeneratedTasks.write(tasksFile, new Configuration(), generated);
    }
    // local[2,2]: two threads, and a failed task is tried twice, as on a cluster.
    spark = SparkSessions.create("rollout-run-test", "local[2,2]", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<Trajectory> rollout(String run, int samples) {
    return rollout(run, samples, "single");
  }

  private static List<Trajectory> rollout(String run, int samples, String scaffold) {
    return rollout(run, samples, scaffold, 0);
  }

  private static List<Trajectory> rollout(String run, int samples, String scaffold, int progressGradings) {
    RolloutSettings settings =
        new RolloutSettings(temp.resolve("runs/" + run).toString(), 0, "scripted", scaffold, "standard", Modes.DEFAULT, samples, 2, SandboxChoice.docker(), 0, 3,
            dev.crucible.rollout.agent.EpisodeRunner.DEFAULT_EPISODE_TIMEOUT, -1, true,
            dev.crucible.reward.signals.RewardWeights.defaults(), progressGradings);
    return new RolloutRun(settings, new PrintStream(new ByteArrayOutputStream())).run(spark, tasksFile, HadoopFiles.local(temp.resolve("repos")));
  }

  @Test
  void theExpertResolvesEveryEpisodeAndEnginesReadTheTurns() throws Exception {
    List<Trajectory> trajectories = rollout("expert", 2);
    assertThat(trajectories).hasSize(6).allSatisfy(t -> assertThat(t.outcome()).isEqualTo(Outcome.RESOLVED));

    Row counts =
        spark.read().parquet(temp.resolve("runs/expert/trajectories").toString())
            .selectExpr("count(*)", "min(size(turns))", "sum(CASE WHEN turns[size(turns) - 2].tool_name = 'submit' THEN 1 ELSE 0 END)")
            .first();
    assertThat(counts.getLong(0)).isEqualTo(6);
    assertThat(counts.getInt(1)).isGreaterThanOrEqualTo(2 + 2 * 4);
    assertThat(counts.getLong(2)).isEqualTo(6);

    String summary =
        new dev.crucible.jobs.inspect.Inspector(new Configuration())
            .inspect(new org.apache.hadoop.fs.Path(temp.resolve("runs/expert").toString()));
    assertThat(summary)
        .contains("tool calls (success rate): all ")
        .containsPattern("well-formed tool calls: (\\d+) of \\1 assistant turns \\(100\\.0%\\)")
        .contains("localization (6 graded episodes with known gold patches):")
        .containsPattern("viewed a gold file +6 +100\\.0%")
        .containsPattern("edited a gold file +6 +100\\.0%")
        .containsPattern("resolved +6 +100\\.0%");

    String metrics = java.nio.file.Files.readString(temp.resolve("runs/expert/metrics/iteration=0.prom"));
    assertThat(metrics)
        .contains("crucible_episodes_total{outcome=\"resolved\"} 6.0")
        .contains("crucible_tool_calls_total{status=\"ok\",tool=\"submit\"} 6.0")
        .contains("crucible_episode_reward_count 6");

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows =
            duck.createStatement()
                .executeQuery(
                    "SELECT count(DISTINCT task_id || '#' || sample_index), sum(len(turns)) FROM read_parquet('"
                        + temp.resolve("runs/expert/trajectories/*/*.parquet") + "')")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(6);
      assertThat(rows.getLong(2)).isEqualTo(trajectories.stream().mapToLong(t -> t.turns().size()).sum());
    }
  }

  /**
   * Rows as SWE-Gym and SWE-smith publish them (their own image and eval script, no test command, no
   * repository on the host), in an image built offline in the official layout that stands in for a
   * pulled one: each episode works in the image's /testbed and is graded by the row's script.
   */
  @Test
  void rowsWithTheirOwnImageRollOutWithNoRepositoryOnTheHost() throws Exception {
    OfficialLayoutImage image = OfficialLayoutImage.build(temp.resolve("official"), "crucible-test/sweb.eval.textops:rollout-run");
    org.apache.hadoop.fs.Path rows = new org.apache.hadoop.fs.Path(temp.resolve("official/rows.jsonl").toString());
    SweBenchTasks.write(rows, new Configuration(), List.of(image.row("fixture__official-1"), image.row("fixture__official-2")));
    RolloutSettings settings =
        new RolloutSettings(temp.resolve("runs/official").toString(), 0, "scripted", "single", "standard", Modes.DEFAULT, 1, 2,
            SandboxChoice.docker(), 0, 3, dev.crucible.rollout.agent.EpisodeRunner.DEFAULT_EPISODE_TIMEOUT, -1, true,
            dev.crucible.reward.signals.RewardWeights.defaults(), 0);

    List<Trajectory> trajectories = new RolloutRun(settings, new PrintStream(new ByteArrayOutputStream()))
        .run(spark, rows, HadoopFiles.local(temp.resolve("official/no-repositories")));

    assertThat(trajectories).hasSize(2).allSatisfy(t -> {
      assertThat(t.outcome()).as(t.outcomeReason()).isEqualTo(Outcome.RESOLVED);
      assertThat(t.finalPatch()).startsWith("diff --git a/textops/words.py b/textops/words.py\n");
    });
    assertThat(spark.read().parquet(temp.resolve("runs/official/trajectories").toString()).where("outcome = 'resolved'").count()).isEqualTo(2);
  }

  /** With progress gradings: the expert's one edit of each task's single hunk earns all its progress. */
  @Test
  void thePhasedScaffoldResolvesEveryEpisodeWithPhaseTaggedTurnsAndProgressAtItsEditBoundaries() {
    List<Trajectory> trajectories = rollout("phased", 1, "phased", 4);
    assertThat(trajectories).hasSize(3).allSatisfy(t -> assertThat(t.outcome()).isEqualTo(Outcome.RESOLVED));
    Row phases =
        spark.read().parquet(temp.resolve("runs/phased/trajectories").toString())
            .selectExpr("explode(turns) AS turn")
            .selectExpr("count(DISTINCT turn.phase)", "sum(CASE WHEN turn.phase IS NULL THEN 1 ELSE 0 END)", "count(*)")
            .first();
    assertThat(phases.getLong(0)).isEqualTo(4);
    assertThat(phases.getLong(1)).isZero();
    assertThat(phases.getLong(2)).isEqualTo(trajectories.stream().mapToLong(t -> t.turns().size()).sum());
    assertThat(
            new dev.crucible.jobs.inspect.Inspector(new Configuration())
                .inspect(new org.apache.hadoop.fs.Path(temp.resolve("runs/phased").toString())))
        .containsPattern("tool calls \\(success rate\\): decoder \\d+ \\(100\\.0%\\) mapper \\d+ \\(100\\.0%\\) reviewer \\d+");
    Row progress =
        spark.read().parquet(temp.resolve("runs/phased/trajectories").toString())
            .selectExpr("progress_reward", "aggregate(turns, 0D, (sum, t) -> sum + coalesce(t.progress, 0D)) AS credited",
                "size(filter(turns, t -> t.progress IS NOT NULL AND (t.role <> 'assistant' OR t.tool_name NOT IN ('str_replace_editor', 'run_tests'))))"
                    + " AS misplaced",
                "size(filter(turns, t -> t.progress IS NOT NULL)) AS boundaries")
            .selectExpr("min(progress_reward)", "max(progress_reward)", "max(abs(credited - progress_reward))", "sum(misplaced)", "min(boundaries)")
            .first();
    assertThat(progress.getDouble(0)).as("each resolved episode's progress is its last J, 1").isEqualTo(1.0);
    assertThat(progress.getDouble(1)).isEqualTo(1.0);
    assertThat(progress.getDouble(2)).as("the turns' progress sums to the episode's").isLessThan(1e-12);
    assertThat(progress.getLong(3)).as("progress only on edits and test runs").isZero();
    assertThat(progress.getInt(4)).as("an edit and a test run at least").isGreaterThanOrEqualTo(2);
  }

  @Test
  void runningTheSameIterationAgainRunsOnlyWhatIsMissing() throws Exception {
    rollout("again", 1);
    TrajectoryStore store = new TrajectoryStore(new org.apache.hadoop.fs.Path(temp.resolve("runs/again").toString()), new Configuration());
    List<org.apache.hadoop.fs.Path> firstFiles = store.trajectoryTable().files();
    assertThat(firstFiles).hasSize(3);
    Path lost = Path.of(firstFiles.get(0).toUri());
    Files.delete(lost);
    Map<Path, FileTime> kept = new HashMap<>();
    for (org.apache.hadoop.fs.Path file : firstFiles.subList(1, 3)) {
      kept.put(Path.of(file.toUri()), Files.getLastModifiedTime(Path.of(file.toUri())));
    }

    List<Trajectory> second = rollout("again", 1);

    assertThat(second).hasSize(3);
    assertThat(store.trajectoryTable().files()).isEqualTo(firstFiles);
    assertThat(lost).exists();
    for (Map.Entry<Path, FileTime> file : kept.entrySet()) {
      assertThat(Files.getLastModifiedTime(file.getKey())).as("a finished episode is not run again").isEqualTo(file.getValue());
    }
    assertThat(spark.read().parquet(temp.resolve("runs/again/trajectories").toString()).count()).isEqualTo(3);
  }

  @Test
  void aSparkTaskThatDiesMidWayKeepsItsFinishedEpisodesAndIsRetriedWithoutDuplicatesOrLosses() throws Exception {
    spark.sparkContext().setLocalProperty(ExecutorRollout.FAIL_FIRST_ATTEMPT_OF_PARTITION, "1");
    try {
      List<Trajectory> trajectories = rollout("task-failure", 2);
      assertThat(trajectories).hasSize(6).allSatisfy(t -> assertThat(t.outcome()).isEqualTo(Outcome.RESOLVED));
      assertThat(spark.read().parquet(temp.resolve("runs/task-failure/trajectories").toString()).count()).isEqualTo(6);
      assertThat(
              new TrajectoryStore(new org.apache.hadoop.fs.Path(temp.resolve("runs/task-failure").toString()), new Configuration())
                  .trajectoryTable().files())
          .extracting(org.apache.hadoop.fs.Path::getName)
          .hasSize(6)
          .doesNotHaveDuplicates()
          .allMatch(name -> name.matches("part-e[0-9a-f]{32}\\.parquet"));
      Path marker = temp.resolve("runs/task-failure/_fault-injected-1");
      List<String> committedBeforeTheFault = Files.readString(marker).lines().toList();
      assertThat(committedBeforeTheFault).as("the failed attempt committed some episodes").isNotEmpty();
      for (String episode : committedBeforeTheFault) {
        Path part = temp.resolve("runs/task-failure/trajectories/iteration=0/part-" + ExecutorRollout.partName(episode) + ".parquet");
        assertThat(Files.getLastModifiedTime(part))
            .as("the retry kept " + episode)
            .isLessThanOrEqualTo(Files.getLastModifiedTime(marker));
      }
    } finally {
      spark.sparkContext().setLocalProperty(ExecutorRollout.FAIL_FIRST_ATTEMPT_OF_PARTITION, null);
    }
  }

  /** Containers killed from outside during the run: every episode still has one row, resolved or infra_error. */
  @Test
  void containersKilledFromOutsideNeverLoseOrDuplicateEpisodes() throws Exception {
    AtomicInteger killed = new AtomicInteger();
    CompletableFuture<Void> killer =
        CompletableFuture.runAsync(
            () -> {
              long until = System.currentTimeMillis() + 20_000;
              while (System.currentTimeMillis() < until && killed.get() < 3) {
                for (var container :
                    DockerTestSupport.client().listContainersCmd().withLabelFilter(Map.of(SandboxLabels.TASK, "local__textkit-2")).exec()) {
                  try {
                    DockerTestSupport.client().killContainerCmd(container.getId()).exec();
                    killed.incrementAndGet();
                  } catch (RuntimeException alreadyGone) {
                    // The sandbox finished first.
                  }
                }
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    List<Trajectory> trajectories = rollout("faults", 2);
    killer.get();
    assertThat(killed.get()).as("containers killed during the run").isPositive();
    assertThat(trajectories).hasSize(6);
    assertThat(trajectories).allSatisfy(t -> assertThat(t.outcome()).isIn(Outcome.RESOLVED, Outcome.INFRA_ERROR));
    assertThat(trajectories.stream().filter(t -> t.taskId().equals("local__textkit-1")))
        .allSatisfy(t -> assertThat(t.outcome()).isEqualTo(Outcome.RESOLVED));
  }
}
