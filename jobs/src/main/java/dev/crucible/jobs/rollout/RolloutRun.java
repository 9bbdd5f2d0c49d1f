package dev.crucible.jobs.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.Outcome;
import dev.crucible.data.RunLayout;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.json.TaskJson;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.evaluate.EvaluationInputs;
import dev.crucible.jobs.spark.SerializableConfiguration;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.agent.PolicyFactory;
import dev.crucible.rollout.agent.Scaffold;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.SandboxFactory;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of {@code crucible rollout}: checks the inputs, runs tasks ×
 * samples episodes as one Spark job, and checks that every (task, sample) has exactly one trajectory.
 */
public final class RolloutRun {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final RolloutSettings settings;
  private final PrintStream progress;

  public RolloutRun(RolloutSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs the rollout, every episode in the settings' mode; returns the iteration's trajectories, one per (task, sample). */
  public List<Trajectory> run(SparkSession spark, org.apache.hadoop.fs.Path tasksFile, org.apache.hadoop.fs.Path repositories) {
    if (settings.mode().equals(Modes.AUTO)) {
      throw new IllegalArgumentException("mode " + Modes.AUTO + " needs a meta-controller to choose each episode's mode");
    }
    return run(spark, tasksFile, repositories, ModeAssignment.fixed(settings.mode()));
  }

  /** Runs the rollout, each episode in the mode {@code modes} chooses; returns the iteration's trajectories, one per (task, sample). */
  public List<Trajectory> run(
      SparkSession spark, org.apache.hadoop.fs.Path tasksFile, org.apache.hadoop.fs.Path repositoryFolder, ModeAssignment modes) {
    Scaffold.named(settings.scaffold());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    PolicyFactory.named(settings.policy(), settings.seed(), conf);
    List<TaskInstance> tasks = SweBenchTasks.read(tasksFile, conf);
    TaskRepositories repositories = new TaskRepositories(repositoryFolder);
    EvaluationInputs.requireRunnable(tasks, tasksFile.toString(), repositories, conf);
    org.apache.hadoop.fs.Path storedTasks = new RunLayout(new org.apache.hadoop.fs.Path(settings.out())).tasks();
    if (!storedTasks.equals(tasksFile)) {
      // Kept with the run, so inspect can tell whether agents found the code the gold patches change.
      SweBenchTasks.write(storedTasks, conf, tasks);
    }

    TrajectoryStore store = new TrajectoryStore(new org.apache.hadoop.fs.Path(settings.out()), conf);
    Set<String> done = new HashSet<>();
    for (Trajectory earlier : store.readTrajectories(settings.iteration())) {
      if (earlier.outcome() != Outcome.INFRA_ERROR) {
        done.add(earlier.taskId() + "#" + earlier.sampleIndex());
      }
    }
    List<RolloutWork> work = new ArrayList<>();
    for (TaskInstance task : tasks) {
      String json = json(task);
      String repository = EvaluationInputs.repositoryOf(task, repositories, conf);
      for (int sample = 0; sample < settings.samples(); sample++) {
        if (!done.contains(task.instanceId() + "#" + sample)) {
          ModeAssignment.Choice choice = modes.choose(task, sample);
          settings.modes().named(choice.mode());
          work.add(new RolloutWork(task.instanceId(), json, repository, sample, choice.mode(), choice.chooser()));
        }
      }
    }
    if (!done.isEmpty()) {
      progress.printf("rollout: %d episodes of iteration %d are already done and kept; running the %d missing or failed%n",
          done.size(), settings.iteration(), work.size());
    }
    int episodes = tasks.size() * settings.samples();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = Math.max(1, Math.min(work.size(), context.defaultParallelism() * 2));
    progress.printf(
        "rollout: %d tasks × %d samples = %d episodes in %d partitions, up to %d at once per executor%n",
        tasks.size(), settings.samples(), episodes, partitions, settings.maxWorkers());
    Broadcast<SerializableConfiguration> shippedConf = context.broadcast(new SerializableConfiguration(conf));
    RolloutSettings shippedSettings = settings;
    RolloutMetrics metrics = new RolloutMetrics();
    long start = System.nanoTime();
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    MetricsServer server = settings.metricsPort() < 0 ? null : new MetricsServer(settings.metricsPort(), metrics::scrape);
    if (server != null) {
      progress.printf("rollout: live metrics at http://127.0.0.1:%d/metrics%n", server.port());
    }
    try {
      reporter.scheduleAtFixedRate(() -> report(store, metrics, episodes, start), 5, 5, TimeUnit.SECONDS);
      long written =
          context
              .parallelize(work, partitions)
              .mapPartitionsWithIndex(
                  (partition, items) -> List.of(ExecutorRollout.run(partition, items, shippedSettings, shippedConf.value().value())).iterator(),
                  false)
              .collect()
              .stream()
              .mapToLong(Integer::longValue)
              .sum();
      reporter.shutdownNow();
      List<Trajectory> trajectories = store.readTrajectories(settings.iteration());
      requireOnePerEpisode(tasks, trajectories);
      trajectories.forEach(metrics::record);
      printProgress(metrics, episodes, start);
      writeMetrics(store, metrics, conf);
      progress.printf("rollout: %d episodes written, %d read back, %.1f s%n", written, trajectories.size(), (System.nanoTime() - start) / 1e9);
      return trajectories;
    } finally {
      reporter.shutdownNow();
      if (server != null) {
        server.close();
      }
    }
  }

  /** Reads the parts committed so far into the metrics and prints the progress line. */
  private void report(TrajectoryStore store, RolloutMetrics metrics, int total, long start) {
    try {
      store.trajectoryTable().scan(TrajectoryStore.iterationPartition(settings.iteration()), metrics::record);
    } catch (RuntimeException e) {
      // A part being replaced by a retried task; the next report reads it.
    }
    printProgress(metrics, total, start);
  }

  private void printProgress(RolloutMetrics metrics, int total, long start) {
    double minutes = (System.nanoTime() - start) / 60e9;
    progress.printf(
        "rollout: %d/%d episodes, %d resolved, %d infra errors, %.1f episodes/min, %s%n",
        metrics.episodes(), total, metrics.resolved(), metrics.infraErrors(), metrics.episodes() / minutes,
        dev.crucible.data.Eta.of(metrics.episodes(), total, minutes * 60));
  }

  /** The final metrics in the Prometheus text format ({@link RunLayout#rolloutMetrics}). */
  private void writeMetrics(TrajectoryStore store, RolloutMetrics metrics, Configuration conf) {
    org.apache.hadoop.fs.Path file = new RunLayout(store.runDirectory()).rolloutMetrics(settings.iteration());
    try {
      HadoopFiles.writeAtomically(file, conf, out -> out.write(metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void requireOnePerEpisode(List<TaskInstance> tasks, List<Trajectory> trajectories) {
    Set<String> expected = new HashSet<>();
    for (TaskInstance task : tasks) {
      for (int sample = 0; sample < settings.samples(); sample++) {
        expected.add(task.instanceId() + "#" + sample);
      }
    }
    Set<String> found = new HashSet<>();
    for (Trajectory trajectory : trajectories) {
      found.add(trajectory.taskId() + "#" + trajectory.sampleIndex());
    }
    if (!found.equals(expected) || trajectories.size() != expected.size()) {
      Set<String> missing = new HashSet<>(expected);
      missing.removeAll(found);
      throw new IllegalStateException(
          "expected one trajectory per (task, sample): " + expected.size() + " expected, " + trajectories.size() + " read back, missing " + missing);
    }
  }

  private static String json(TaskInstance task) {
    try {
      return MAPPER.writeValueAsString(TaskJson.encode(task));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
