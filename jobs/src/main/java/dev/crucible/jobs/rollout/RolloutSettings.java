package dev.crucible.jobs.rollout;

import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.search.EmbeddingsEndpoint;
import java.io.Serializable;
import java.time.Duration;

/**
 * The options of one rollout; Serializable because executors need them.
 *
 * @param out the run directory; its name is the run id
 * @param iteration the RL iteration the episodes belong to
 * @param policy policy name, for example {@code scripted}
 * @param scaffold scaffold name, for example {@code single}
 * @param mode the mode every episode runs in, or {@link Modes#AUTO} when a {@link ModeAssignment} chooses each one's
 * @param modes the modes by name: their budgets, guidance and tools
 * @param samples episodes per task
 * @param maxWorkers episodes at once per executor
 * @param sandbox which sandboxes
 * @param seed varies seeded policies
 * @param maxAttempts sandboxes tried per episode before an infrastructure failure is final
 * @param episodeTimeout the wall-clock budget of one episode, grading not included
 * @param metricsPort where the driver serves live metrics: a port, 0 for any free one, -1 for none
 * @param signals grade with coverage and lint (the reward's extra signals), not only the tests
 * @param rewardWeights the weights of each episode's reward total
 * @param progressGradings edit boundaries graded per episode for MRT's progress rewards; 0 for none
 * @param embeddings where search_code's dense vectors come from, fused with BM25; {@code null} for BM25 alone
 */
public record RolloutSettings(
    String out, int iteration, String policy, String scaffold, String mode, Modes modes, int samples, int maxWorkers, SandboxChoice sandbox,
    long seed, int maxAttempts, Duration episodeTimeout, int metricsPort, boolean signals, RewardWeights rewardWeights,
    int progressGradings, EmbeddingsEndpoint embeddings) implements Serializable {

  public RolloutSettings {
    java.util.Objects.requireNonNull(rewardWeights, "rewardWeights");
    if (!mode.equals(Modes.AUTO)) {
      modes.named(mode);
    }
    if (progressGradings < 0) {
      throw new IllegalArgumentException("progressGradings must be at least 0, not " + progressGradings);
    }
  }

  /** Settings whose search_code ranks by BM25 alone. */
  public RolloutSettings(
      String out, int iteration, String policy, String scaffold, String mode, Modes modes, int samples, int maxWorkers, SandboxChoice sandbox,
      long seed, int maxAttempts, Duration episodeTimeout, int metricsPort, boolean signals, RewardWeights rewardWeights,
      int progressGradings) {
    this(out, iteration, policy, scaffold, mode, modes, samples, maxWorkers, sandbox, seed, maxAttempts, episodeTimeout, metricsPort, signals,
        rewardWeights, progressGradings, null);
  }
}
