package dev.crucible.jobs.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.TaskJson;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.Parallel;
import dev.crucible.rollout.agent.EpisodeRunner;
import dev.crucible.rollout.agent.Mode;
import dev.crucible.rollout.agent.PolicyFactory;
import dev.crucible.rollout.agent.Scaffold;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.tools.ToolBox;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;

/** The executor side of a rollout: one partition's episodes, run concurrently, written as one named part. */
final class ExecutorRollout {
  /**
   * Fault injection for tests: a Spark local property naming a partition whose first attempt writes
   * half its part, leaves it uncommitted and fails, as a task killed mid-write would.
   */
  static final String FAIL_FIRST_ATTEMPT_OF_PARTITION = "crucible.fault.failFirstAttemptOfPartition";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static Semaphore slots;
  private static EpisodeRunner runner;

  private ExecutorRollout() {}

  /** Runs the partition and commits {@code part-NNNNN.parquet}; returns how many episodes it wrote. */
  static int run(int partition, Iterator<RolloutWork> work, RolloutSettings settings, Configuration conf) {
    List<RolloutWork> items = new ArrayList<>();
    work.forEachRemaining(items::add);
    Scaffold scaffold = Scaffold.named(settings.scaffold());
    Mode mode = Mode.named(settings.mode());
    PolicyFactory policies = PolicyFactory.named(settings.policy(), settings.seed());
    TrajectoryStore store = new TrajectoryStore(new org.apache.hadoop.fs.Path(settings.out()), conf);
    List<Trajectory> trajectories =
        new ArrayList<>(Parallel.map(items, settings.maxWorkers(), item -> episode(item, store.runId(), settings, scaffold, mode, policies)));
    trajectories.sort(Comparator.comparing(Trajectory::episodeId));
    String name = String.format(Locale.ROOT, "%05d", partition);
    if (injectedFailure(partition)) {
      PartWriter<Trajectory> abandoned = store.openNamedTrajectoryWriter(settings.iteration(), name);
      trajectories.subList(0, trajectories.size() / 2).forEach(abandoned::write);
      throw new IllegalStateException("fault injected: first attempt of partition " + partition + " died mid-write");
    }
    try (PartWriter<Trajectory> writer = store.openNamedTrajectoryWriter(settings.iteration(), name)) {
      trajectories.forEach(writer::write);
      writer.commit();
    }
    return trajectories.size();
  }

  private static boolean injectedFailure(int partition) {
    TaskContext task = TaskContext.get();
    return task != null && task.attemptNumber() == 0
        && String.valueOf(partition).equals(task.getLocalProperty(FAIL_FIRST_ATTEMPT_OF_PARTITION));
  }

  private static Trajectory episode(
      RolloutWork item, String runId, RolloutSettings settings, Scaffold scaffold, Mode mode, PolicyFactory policies) {
    Semaphore permits = slots(settings);
    permits.acquireUninterruptibly();
    try {
      TaskInstance task = TaskJson.decode(JsonLines.row(MAPPER.readTree(item.taskJson())));
      return runner(settings)
          .run(
              new EpisodeRunner.EpisodeSpec(
                  runId, settings.iteration(), task, java.nio.file.Path.of(item.repository()), item.sampleIndex(), scaffold, mode, policies));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a task", e);
    } finally {
      permits.release();
    }
  }

  private static synchronized Semaphore slots(RolloutSettings settings) {
    if (slots == null) {
      slots = new Semaphore(settings.maxWorkers(), true);
    }
    return slots;
  }

  private static synchronized EpisodeRunner runner(RolloutSettings settings) {
    if (runner == null) {
      SandboxFactory sandboxes = SandboxFactory.of(settings.sandbox());
      Evaluator evaluator =
          new Evaluator(
              sandboxes,
              new EvaluationOptions(Duration.ofMinutes(30), settings.maxAttempts(), settings.signals(), settings.signals(), RewardWeights.defaults()));
      runner = new EpisodeRunner(sandboxes, evaluator, ToolBox.standard(Metrics.globalRegistry), settings.maxAttempts(), settings.episodeTimeout());
    }
    return runner;
  }
}
