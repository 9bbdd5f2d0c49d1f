package dev.crucible.trainer.rl;

import dev.crucible.trainer.train.PackedRow;
import java.util.ArrayList;
import java.util.List;

/**
 * PPO's per-token advantages and value targets for a batch of episodes: {@link Gae} over each episode's
 * counted tokens in order, across its rows (an episode whose prompts do not extend spans several), with
 * the episode's reward on its last counted token; then, optionally, the advantages whitened over the
 * whole batch (mean 0, standard deviation 1, as verl and OpenRLHF do before the PPO update). With KL
 * in the reward, each token's reward is also minus its penalty. Tokens a row
 * cut off are not steps, so the reward lands on the last token that is trained on.
 */
public final class PpoTargets {
  private PpoTargets() {}

  /**
   * @param rows the episode's rows, in order
   * @param values per row, the sampling policy's value at each position (aligned with the row's targets)
   * @param reward the episode's scalar reward
   * @param penalties per row, a reward subtracted at each position (the KL penalty {@code beta * k1}), or
   *     {@code null} for none
   */
  public record Episode(List<PackedRow> rows, List<float[]> values, double reward, List<float[]> penalties) {
    public Episode(List<PackedRow> rows, List<float[]> values, double reward) {
      this(rows, values, reward, null);
    }
  }

  /**
   * The per-token KL penalty of the classic RLHF reward (Ouyang et al. 2022; Stiennon et al. 2020):
   * {@code beta * k1 = beta * (logp_old - logp_ref)} at each position, aligned with the rows' targets.
   */
  public static List<float[]> klPenalties(List<float[]> oldLogprobs, List<float[]> referenceLogprobs, double beta) {
    List<float[]> penalties = new ArrayList<>();
    for (int r = 0; r < oldLogprobs.size(); r++) {
      float[] penalty = new float[oldLogprobs.get(r).length];
      for (int t = 0; t < penalty.length; t++) {
        penalty[t] = (float) (beta * (oldLogprobs.get(r)[t] - referenceLogprobs.get(r)[t]));
      }
      penalties.add(penalty);
    }
    return penalties;
  }

  /** Per row of the episode, aligned with its targets; 0 at positions that do not count. */
  public record Targets(List<float[]> advantages, List<float[]> returns) {}

  public static List<Targets> of(List<Episode> episodes, double gamma, double lambda, boolean whiten) {
    List<Targets> targets = new ArrayList<>();
    double sum = 0;
    double squares = 0;
    long count = 0;
    for (Episode episode : episodes) {
      List<int[]> steps = new ArrayList<>();
      for (int r = 0; r < episode.rows().size(); r++) {
        boolean[] mask = episode.rows().get(r).lossMask();
        for (int t = 0; t < mask.length; t++) {
          if (mask[t]) {
            steps.add(new int[] {r, t});
          }
        }
      }
      double[] rewards = new double[steps.size()];
      double[] values = new double[steps.size()];
      for (int k = 0; k < steps.size(); k++) {
        values[k] = episode.values().get(steps.get(k)[0])[steps.get(k)[1]];
        rewards[k] = episode.penalties() == null ? 0 : -episode.penalties().get(steps.get(k)[0])[steps.get(k)[1]];
      }
      if (!steps.isEmpty()) {
        rewards[steps.size() - 1] += episode.reward();
      }
      Gae.Estimate estimate = Gae.estimate(rewards, values, gamma, lambda);
      List<float[]> advantages = new ArrayList<>();
      List<float[]> returns = new ArrayList<>();
      for (PackedRow row : episode.rows()) {
        advantages.add(new float[row.length()]);
        returns.add(new float[row.length()]);
      }
      for (int k = 0; k < steps.size(); k++) {
        advantages.get(steps.get(k)[0])[steps.get(k)[1]] = (float) estimate.advantages()[k];
        returns.get(steps.get(k)[0])[steps.get(k)[1]] = (float) estimate.returns()[k];
        sum += estimate.advantages()[k];
        squares += estimate.advantages()[k] * estimate.advantages()[k];
        count++;
      }
      targets.add(new Targets(advantages, returns));
    }
    if (whiten && count > 1) {
      double mean = sum / count;
      double std = Math.sqrt(Math.max(0, squares / count - mean * mean));
      for (int e = 0; e < episodes.size(); e++) {
        for (int r = 0; r < episodes.get(e).rows().size(); r++) {
          boolean[] mask = episodes.get(e).rows().get(r).lossMask();
          float[] advantages = targets.get(e).advantages().get(r);
          for (int t = 0; t < mask.length; t++) {
            if (mask[t]) {
              advantages[t] = (float) ((advantages[t] - mean) / (std + 1e-8));
            }
          }
        }
      }
    }
    return targets;
  }
}
