package dev.crucible.jobs.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.EpisodeId;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.HostCache;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.TaskJson;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.Parallel;
import dev.crucible.rollout.agent.EpisodeRunner;
import dev.crucible.rollout.agent.PolicyFactory;
import dev.crucible.rollout.agent.Scaffold;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.docker.ImageContainers;
import dev.crucible.rollout.search.EmbeddingsEndpoint;
import dev.crucible.rollout.search.OpenAiEmbeddings;
import dev.crucible.rollout.tools.ToolBox;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;

/**
 * The executor side of a rollout: one partition's episodes, run concurrently, each committed as its own
 * part file as soon as it finishes ({@code part-<episode hash>.parquet}), so an executor lost
 * mid-partition keeps every finished episode. A retried task finds those parts and runs only the rest;
 * one that runs an episode again replaces its part, never adds to it.
 */
final class ExecutorRollout {
  /**
   * Fault injection for tests: a Spark local property naming a partition whose first attempt commits
   * half its episodes, then fails, as a task killed mid-way would. When it fails it writes
   * {@code RUN/_fault-injected-<partition>}, listing the episodes it committed, one per line.
   */
  static final String FAIL_FIRST_ATTEMPT_OF_PARTITION = "crucible.fault.failFirstAttemptOfPartition";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Episodes at once in this executor JVM: the first rollout's {@code maxWorkers}, shared by all its rollouts. */
  private static Semaphore slots;
  /**
   * One runner per distinct set of options, so a JVM that runs rollouts with different ones (a test
   * JVM, a local-mode driver running several jobs) honours each.
   */
  private static final Map<RunnerOptions, EpisodeRunner> RUNNERS = new ConcurrentHashMap<>();

  private record RunnerOptions(
      SandboxChoice sandbox, int maxAttempts, Duration episodeTimeout, boolean signals, RewardWeights rewardWeights, int progressGradings,
      EmbeddingsEndpoint embeddings) {
    static RunnerOptions of(RolloutSettings settings) {
      return new RunnerOptions(settings.sandbox(), settings.maxAttempts(), settings.episodeTimeout(), settings.signals(),
          settings.rewardWeights(), settings.progressGradings(), settings.embeddings());
    }

    EpisodeRunner create() {
      SandboxFactory sandboxes = SandboxFactory.of(sandbox);
      // Rows with their own image are graded by their eval script, hardened (the options' default), under the default limits.
      Evaluator evaluator = new Evaluator(sandboxes, ImageContainers.of(sandbox, ImageLimits.DEFAULT),
          new EvaluationOptions(Duration.ofMinutes(30), maxAttempts, signals, signals, rewardWeights));
      return new EpisodeRunner(sandboxes, evaluator, ToolBox.standard(Metrics.globalRegistry), maxAttempts, episodeTimeout, progressGradings,
          embeddings == null ? null : OpenAiEmbeddings.connect(embeddings));
    }
  }

  private ExecutorRollout() {}

  /** Runs the partition's episodes that have no part yet; returns how many it ran. */
  static int run(int partition, Iterator<RolloutWork> work, RolloutSettings settings, Configuration conf) {
    TrajectoryStore store = new TrajectoryStore(new org.apache.hadoop.fs.Path(settings.out()), conf);
    List<RolloutWork> items = new ArrayList<>();
    work.forEachRemaining(item -> {
      if (!committed(store, settings.iteration(), item)) {
        items.add(item);
      }
    });
    Scaffold scaffold = Scaffold.named(settings.scaffold());
    PolicyFactory policies = PolicyFactory.named(settings.policy(), settings.seed(), conf);
    int failAfter = injectedFailure(partition) ? items.size() / 2 : Integer.MAX_VALUE;
    List<String> done = new CopyOnWriteArrayList<>();
    Parallel.map(items, settings.maxWorkers(), item -> {
      if (done.size() >= failAfter) {
        return false;
      }
      Trajectory trajectory = episode(item, store.runId(), settings, scaffold, policies, conf);
      try (PartWriter<Trajectory> writer = store.openNamedTrajectoryWriter(settings.iteration(), partName(trajectory.episodeId()))) {
        writer.write(trajectory);
        writer.commit();
      }
      done.add(trajectory.episodeId());
      return true;
    });
    if (failAfter != Integer.MAX_VALUE) {
      markFault(store, partition, done, conf);
      throw new IllegalStateException("fault injected: first attempt of partition " + partition + " died after " + done.size() + " episodes");
    }
    return done.size();
  }

  /** The part name of an episode: a hash of its id, so any episode id makes a plain, fixed file name. */
  static String partName(String episodeId) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(episodeId.getBytes(StandardCharsets.UTF_8));
      return "e" + java.util.HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Whether an earlier attempt of this task committed the episode already. */
  private static boolean committed(TrajectoryStore store, int iteration, RolloutWork item) {
    return store.hasTrajectoryPart(iteration, partName(EpisodeId.of(store.runId(), iteration, item.taskId(), item.sampleIndex())));
  }

  private static boolean injectedFailure(int partition) {
    TaskContext task = TaskContext.get();
    return task != null && task.attemptNumber() == 0
        && String.valueOf(partition).equals(task.getLocalProperty(FAIL_FIRST_ATTEMPT_OF_PARTITION));
  }

  private static void markFault(TrajectoryStore store, int partition, List<String> committed, Configuration conf) {
    try {
      HadoopFiles.writeAtomically(
          new org.apache.hadoop.fs.Path(store.runDirectory(), "_fault-injected-" + partition), conf,
          out -> out.write(String.join("\n", committed).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Trajectory episode(
      RolloutWork item, String runId, RolloutSettings settings, Scaffold scaffold, PolicyFactory policies, Configuration conf) {
    Semaphore permits = slots(settings);
    permits.acquireUninterruptibly();
    try {
      TaskInstance task = TaskJson.decode(JsonLines.row(MAPPER.readTree(item.taskJson())));
      java.nio.file.Path repository =
          item.repository() == null ? null : TaskRepositories.localClone(new org.apache.hadoop.fs.Path(item.repository()), conf, HostCache.onThisHost());
      return RUNNERS.computeIfAbsent(RunnerOptions.of(settings), RunnerOptions::create)
          .run(
              new EpisodeRunner.EpisodeSpec(
                  runId, settings.iteration(), task, repository, item.sampleIndex(), scaffold,
                  settings.modes().named(item.mode()), item.modeChooser(), policies));
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
}
