package dev.crucible.jobs.tasks;

import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.tasks.CandidateTrial;
import dev.crucible.rollout.tasks.MutationCandidate;
import dev.crucible.rollout.tasks.TrialContext;
import dev.crucible.rollout.tasks.TrialResult;
import dev.crucible.rollout.tasks.TrialRunner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Candidate trials as Spark tasks: each partition of a batch gets one sandbox on its executor and
 * tries its candidates in it. The task repository must be on a file system every executor sees (a
 * shared or local path in local mode). Results come back in batch order.
 */
public final class SparkTrialRunner implements TrialRunner {
  /** One trial's outcome; carries the null of a candidate that was not kept. */
  private record Outcome(TrialResult result) implements Serializable {}

  private final JavaSparkContext spark;
  private final SandboxChoice sandbox;

  /** @param sandbox the sandboxes executors use */
  public SparkTrialRunner(JavaSparkContext spark, SandboxChoice sandbox) {
    this.spark = spark;
    this.sandbox = sandbox;
  }

  @Override
  public int batchSize() {
    return spark.defaultParallelism() * 8;
  }

  @Override
  public List<TrialResult> run(TrialContext context, List<MutationCandidate> batch) {
    SandboxChoice sandboxChoice = sandbox;
    int partitions = Math.max(1, Math.min(batch.size(), spark.defaultParallelism()));
    List<Outcome> outcomes =
        spark
            .parallelize(new ArrayList<>(batch), partitions)
            .mapPartitions((Iterator<MutationCandidate> candidates) -> trials(candidates, context, sandboxChoice))
            .collect();
    List<TrialResult> results = new ArrayList<>(outcomes.size());
    outcomes.forEach(outcome -> results.add(outcome.result()));
    return results;
  }

  private static Iterator<Outcome> trials(Iterator<MutationCandidate> candidates, TrialContext context, SandboxChoice choice) {
    List<Outcome> outcomes = new ArrayList<>();
    if (!candidates.hasNext()) {
      return outcomes.iterator();
    }
    try (Sandbox sandbox = SandboxFactory.of(choice).create(context.sandboxSpec())) {
      String mutator = CandidateTrial.installMutator(sandbox);
      while (candidates.hasNext()) {
        outcomes.add(new Outcome(CandidateTrial.run(sandbox, mutator, candidates.next(), context)));
      }
    }
    return outcomes.iterator();
  }
}
