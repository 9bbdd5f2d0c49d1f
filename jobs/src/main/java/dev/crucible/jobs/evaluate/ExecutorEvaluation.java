package dev.crucible.jobs.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.EvaluationRecord;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HostCache;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.TaskJson;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.EvaluationResult;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.evaluation.ScriptGrading;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.docker.ImageContainers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import org.apache.hadoop.conf.Configuration;

/**
 * The executor side of an evaluation: grades one prediction and writes its files. A per-JVM semaphore
 * keeps at most {@code maxWorkers} sandboxes running in one executor however many Spark tasks it runs.
 */
final class ExecutorEvaluation {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static Semaphore slots;
  private static Evaluator evaluator;

  private ExecutorEvaluation() {}

  static EvaluationRecord run(EvaluationWork work, EvaluateSettings settings, Configuration conf) {
    Semaphore permits = slots(settings);
    permits.acquireUninterruptibly();
    try {
      TaskInstance task = TaskJson.decode(JsonLines.row(MAPPER.readTree(work.taskJson())));
      Path repository =
          work.repository() == null ? null : TaskRepositories.localClone(new org.apache.hadoop.fs.Path(work.repository()), conf, HostCache.onThisHost());
      EvaluationResult result = evaluator(settings).evaluate(task, repository, work.patch(), 0, 0);
      InstanceFiles.write(settings, work.model(), work.patch(), result, conf);
      return InstanceFiles.record(settings, work.model(), result);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode the task of " + work.instanceId(), e);
    } finally {
      permits.release();
    }
  }

  private static synchronized Semaphore slots(EvaluateSettings settings) {
    if (slots == null) {
      slots = new Semaphore(settings.maxWorkers(), true);
    }
    return slots;
  }

  private static synchronized Evaluator evaluator(EvaluateSettings settings) {
    if (evaluator == null) {
      EvaluationOptions options =
          new EvaluationOptions(
              settings.testTimeout(), settings.maxAttempts(), settings.coverage(), settings.lint(),
              dev.crucible.reward.signals.RewardWeights.defaults(), ScriptGrading.OFFICIAL); // Reports as the leaderboard's.
      evaluator = new Evaluator(SandboxFactory.of(settings.sandbox()), ImageContainers.of(settings.sandbox(), settings.imageLimits()), options);
    }
    return evaluator;
  }
}
