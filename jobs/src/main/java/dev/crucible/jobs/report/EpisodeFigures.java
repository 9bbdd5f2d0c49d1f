package dev.crucible.jobs.report;

import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import java.util.List;

/**
 * Throughput and cost of a set of episodes: how many, how fast, where their time went and what they
 * cost. Wall time is the span from the first episode's start to the last one's end (episodes run side by
 * side); generation, tools, sandbox start and the rest (grading, teardown, waiting) are summed over
 * episodes, so their shares say where an episode's time goes.
 *
 * @param tokens tokens the policy generated, as the reward counts them
 * @param cpuSeconds CPU time the sandboxes used, over the episodes that reported it
 */
public record EpisodeFigures(int episodes, int resolved, double wallSeconds, long tokens, double generationSeconds, double toolSeconds,
    double sandboxStartSeconds, double otherSeconds, double cpuSeconds) {

  public static EpisodeFigures of(List<Trajectory> trajectories) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int resolved = 0;
    long tokens = 0;
    long generation = 0;
    long tools = 0;
    long start = 0;
    long other = 0;
    long cpu = 0;
    for (Trajectory episode : trajectories) {
      first = Math.min(first, episode.startedAtMillis());
      last = Math.max(last, episode.startedAtMillis() + episode.durationMillis());
      resolved += episode.outcome() == Outcome.RESOLVED ? 1 : 0;
      tokens += episode.reward() == null ? 0 : episode.reward().tokens();
      long episodeGeneration = 0;
      long episodeTools = 0;
      for (Turn turn : episode.turns()) {
        episodeGeneration += turn.generationMillis();
        episodeTools += turn.toolMillis();
      }
      long episodeStart = episode.container() == null ? 0 : episode.container().startMillis();
      generation += episodeGeneration;
      tools += episodeTools;
      start += episodeStart;
      other += Math.max(0, episode.durationMillis() - episodeGeneration - episodeTools - episodeStart);
      cpu += episode.container() == null || episode.container().cpuMillis() == null ? 0 : episode.container().cpuMillis();
    }
    double wall = trajectories.isEmpty() ? 0 : (last - first) / 1000.0;
    return new EpisodeFigures(trajectories.size(), resolved, wall, tokens, generation / 1000.0, tools / 1000.0, start / 1000.0,
        other / 1000.0, cpu / 1000.0);
  }

  /** Episodes finished per hour of wall time; NaN without wall time. */
  public double episodesPerHour() {
    return wallSeconds > 0 ? episodes * 3600.0 / wallSeconds : Double.NaN;
  }

  /** Tokens generated per second of generation; NaN without generation time. */
  public double tokensPerSecond() {
    return generationSeconds > 0 ? tokens / generationSeconds : Double.NaN;
  }

  /** The share of the episodes' summed time spent in {@code seconds}; NaN when they took none. */
  public double share(double seconds) {
    double total = generationSeconds + toolSeconds + sandboxStartSeconds + otherSeconds;
    return total > 0 ? seconds / total : Double.NaN;
  }

  /** What the wall time cost at {@code pricePerHour}, per resolved episode; NaN when none resolved or no price. */
  public double costPerResolved(double pricePerHour) {
    return resolved > 0 && pricePerHour > 0 ? pricePerHour * wallSeconds / 3600.0 / resolved : Double.NaN;
  }
}
