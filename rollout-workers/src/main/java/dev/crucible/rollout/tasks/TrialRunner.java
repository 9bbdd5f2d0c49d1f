package dev.crucible.rollout.tasks;

import java.util.List;

/** Runs a batch of candidate trials: in local sandboxes, or spread over Spark executors (jobs module). */
public interface TrialRunner {

  /** One entry per candidate, in batch order: the result when kept, {@code null} when not. */
  List<TrialResult> run(TrialContext context, List<MutationCandidate> batch);

  /** How many candidates to hand over at once; more keeps a wide runner busy. */
  int batchSize();
}
