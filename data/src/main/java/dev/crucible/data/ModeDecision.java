package dev.crucible.data;

import java.util.List;
import java.util.Objects;

/**
 * The meta-controller's choice of one episode's mode, with what the episode returned to it.
 *
 * @param episodeId the episode that ran in the chosen mode
 * @param runId the run it belongs to
 * @param iteration the RL iteration, or the meta-iteration of an offline replay
 * @param taskId the task's {@code instance_id}
 * @param sampleIndex which sample of the task
 * @param features what the controller read, in the order its {@code meta_controller.json} names them
 * @param modes the modes it chose among
 * @param probabilities its distribution over {@code modes}
 * @param chosenMode the mode it drew
 * @param baseline the return its learned baseline expected
 * @param reward the episode's reward; {@code null} for an infrastructure error, which never trains it
 * @param tokens the tokens the episode took; {@code null} with the reward
 * @param costAdjustedReturn {@code reward - lambda * tokens}; {@code null} with the reward
 */
public record ModeDecision(
    String episodeId,
    String runId,
    int iteration,
    String taskId,
    int sampleIndex,
    List<Float> features,
    List<String> modes,
    List<Float> probabilities,
    String chosenMode,
    double baseline,
    Double reward,
    Long tokens,
    Double costAdjustedReturn) {

  public ModeDecision {
    Checks.requireText(episodeId, "episodeId");
    features = List.copyOf(features);
    modes = List.copyOf(modes);
    probabilities = List.copyOf(probabilities);
    if (modes.size() != probabilities.size()) {
      throw new IllegalArgumentException(episodeId + ": " + probabilities.size() + " probabilities for " + modes.size() + " modes");
    }
    if (!modes.contains(Objects.requireNonNull(chosenMode, "chosenMode"))) {
      throw new IllegalArgumentException(episodeId + ": chose '" + chosenMode + "', not one of " + modes);
    }
    if ((reward == null) != (costAdjustedReturn == null) || (reward == null) != (tokens == null)) {
      throw new IllegalArgumentException(episodeId + ": reward, tokens and cost-adjusted return are known together or not at all");
    }
  }

  /** This decision with the return of its episode. */
  public ModeDecision withReturn(double episodeReward, long episodeTokens, double lambda) {
    return new ModeDecision(episodeId, runId, iteration, taskId, sampleIndex, features, modes, probabilities, chosenMode, baseline,
        episodeReward, episodeTokens, episodeReward - lambda * episodeTokens);
  }
}
