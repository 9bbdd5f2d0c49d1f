package dev.crucible.data;

import java.util.List;
import java.util.Locale;

/**
 * One iteration of an RL run, a row of the {@code iterations} table: what the policy of version
 * {@code iteration} did in its rollout and on the held-out tasks, and the update that made the next
 * version from that rollout.
 *
 * @param runId the RL run
 * @param stage the algorithm, {@code grpo}, {@code rloo} or {@code ppo}
 * @param iteration the update's number, from 0: it made policy version {@code iteration + 1} from version {@code iteration}
 * @param rolloutPolicy the policy version that sampled the rollout: {@code iteration}, or an earlier one under
 *     asynchronous RL (the gap is the rollout's {@link #staleness})
 * @param rollout the training rollout's episodes
 * @param groups what the group advantages made of the rollout
 * @param batch what the update trained on
 * @param timing where the iteration's wall time went
 * @param heldOut policy {@code iteration}'s episodes on the held-out tasks, or {@code null} when not evaluated
 */
public record RlIteration(
    String runId, String stage, int iteration, int rolloutPolicy, Episodes rollout, GroupCounts groups, Batch batch, Timing timing,
    Episodes heldOut) {

  public RlIteration {
    Checks.requireText(runId, "runId");
    Checks.requireText(stage, "stage");
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be at least 0, not " + iteration);
    }
    if (rolloutPolicy < 0 || rolloutPolicy > iteration) {
      throw new IllegalArgumentException("the rollout's policy must be from 0 to the iteration " + iteration + ", not " + rolloutPolicy);
    }
  }

  /** How many versions older than the policy trained the policy that sampled the rollout was. */
  public int staleness() {
    return iteration - rolloutPolicy;
  }

  /**
   * Figures of a set of episodes.
   *
   * @param rewardMean mean reward of the graded episodes, or {@code null} when none was graded
   * @param rewardStd their population standard deviation, or {@code null} likewise
   * @param assistantTurnsMean assistant turns per episode
   * @param toolCalls tool turns
   * @param toolCallSuccesses tool turns whose tool did not report an error
   */
  public record Episodes(int count, int resolved, int agentErrors, int infraErrors, Double rewardMean, Double rewardStd,
      double assistantTurnsMean, long toolCalls, long toolCallSuccesses) {

    public static Episodes of(List<Trajectory> trajectories) {
      double[] rewards = trajectories.stream().filter(t -> t.reward() != null).mapToDouble(t -> t.reward().total()).toArray();
      Spread spread = Spread.of(rewards);
      long assistantTurns = 0;
      long toolCalls = 0;
      long toolCallSuccesses = 0;
      for (Trajectory trajectory : trajectories) {
        for (Turn turn : trajectory.turns()) {
          assistantTurns += turn.role().equals("assistant") ? 1 : 0;
          if (turn.role().equals("tool")) {
            toolCalls++;
            toolCallSuccesses += turn.toolFailed() ? 0 : 1;
          }
        }
      }
      return new Episodes(trajectories.size(), count(trajectories, Outcome.RESOLVED), count(trajectories, Outcome.AGENT_ERROR),
          count(trajectories, Outcome.INFRA_ERROR), spread == null ? null : spread.mean(), spread == null ? null : spread.std(),
          trajectories.isEmpty() ? 0 : (double) assistantTurns / trajectories.size(), toolCalls, toolCallSuccesses);
    }

    private static int count(List<Trajectory> trajectories, Outcome outcome) {
      return (int) trajectories.stream().filter(t -> t.outcome() == outcome).count();
    }

    /** Resolved over the episodes the platform did not fail; NaN when there are none. */
    public double resolveRate() {
      int judged = count - infraErrors;
      return judged == 0 ? Double.NaN : (double) resolved / judged;
    }

    public String describe() {
      return String.format(Locale.ROOT, "%d episodes, %d resolved (%.1f%%), %d infra errors, reward %s", count, resolved,
          100 * resolveRate(), infraErrors, rewardMean == null ? "-" : String.format(Locale.ROOT, "%.3f ± %.3f", rewardMean, rewardStd));
    }
  }

  /**
   * @param learning groups whose members carry a non-zero advantage
   * @param unanimous groups whose rewards were all equal: no gradient
   * @param masked groups left with fewer than two graded members by infrastructure failures
   * @param renormalized groups that lost a member to one and were computed over the rest
   */
  public record GroupCounts(int total, int learning, int unanimous, int masked, int renormalized) {}

  /**
   * @param sequences training sequences (an episode gives more than one where its prompts do not extend)
   * @param tokens tokens of those sequences
   * @param sampledTokens tokens the policy sampled, the ones with loss
   * @param advantageMean mean advantage over the episodes trained on, or {@code null} when none was
   * @param advantageStd its population standard deviation, or {@code null} likewise
   * @param steps optimizer steps
   */
  public record Batch(int sequences, long tokens, long sampledTokens, Double advantageMean, Double advantageStd, int steps) {}

  /**
   * Seconds of the iteration's parts. Under asynchronous RL the rollout ran during the previous update;
   * {@code rollout} is then only the time the update still waited for it.
   */
  public record Timing(double rollout, double evaluation, double train, double checkpoint) {}

  /** One line for the log. */
  public String describe() {
    return String.format(Locale.ROOT, "iteration %d: %s%s; groups %d (%d learn, %d unanimous, %d masked, %d renormalized); %d sequences"
            + " (%,d tokens, %,d sampled), %d steps; rollout %.1f s, train %.1f s, checkpoint %.1f s%s",
        iteration, rollout.describe(), staleness() == 0 ? "" : " (sampled by policy " + rolloutPolicy + ", staleness " + staleness() + ")",
        groups.total(), groups.learning(), groups.unanimous(), groups.masked(), groups.renormalized(),
        batch.sequences(), batch.tokens(), batch.sampledTokens(), batch.steps(), timing.rollout(), timing.train(), timing.checkpoint(),
        heldOut == null ? "" : String.format(Locale.ROOT, "; held out (%.1f s): %s", timing.evaluation(), heldOut.describe()));
  }
}
