package dev.crucible.trainer.train;

import dev.crucible.data.PreferencePair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DPO pairs from episodes of the same task: every two graded episodes whose rewards differ by at least
 * a threshold, the higher one chosen. Episodes without a reward (infrastructure errors) take no part.
 */
public final class PreferencePairs {
  private PreferencePairs() {}

  /** What pairing needs of an episode; {@code reward} is {@code null} when it was not graded. */
  public record Candidate(String episodeId, int iteration, String taskId, Double reward) {}

  /**
   * @param runId the run the pairs are built in
   * @param maxPerTask at most this many pairs per task, widest reward gaps first (0 = no limit)
   */
  public static List<PreferencePair> build(List<Candidate> candidates, String runId, double threshold, int maxPerTask) {
    Map<String, List<Candidate>> byTask = new TreeMap<>();
    for (Candidate candidate : candidates) {
      if (candidate.reward() != null) {
        byTask.computeIfAbsent(candidate.taskId(), t -> new ArrayList<>()).add(candidate);
      }
    }
    List<PreferencePair> pairs = new ArrayList<>();
    for (List<Candidate> episodes : byTask.values()) {
      episodes.sort(Comparator.comparing(Candidate::episodeId));
      List<PreferencePair> forTask = new ArrayList<>();
      for (int i = 0; i < episodes.size(); i++) {
        for (int j = i + 1; j < episodes.size(); j++) {
          Candidate a = episodes.get(i);
          Candidate b = episodes.get(j);
          double gap = a.reward() - b.reward();
          if (Math.abs(gap) >= threshold && gap != 0) {
            Candidate chosen = gap > 0 ? a : b;
            Candidate rejected = gap > 0 ? b : a;
            forTask.add(new PreferencePair(PreferencePair.pairId(chosen.episodeId(), rejected.episodeId()), runId,
                chosen.iteration(), chosen.taskId(), chosen.episodeId(), rejected.episodeId(), chosen.reward(),
                rejected.reward(), null, null));
          }
        }
      }
      forTask.sort(Comparator.comparingDouble((PreferencePair p) -> p.rejectedReward() - p.chosenReward())
          .thenComparing((PreferencePair p) -> p.pairId()));
      pairs.addAll(maxPerTask > 0 && forTask.size() > maxPerTask ? forTask.subList(0, maxPerTask) : forTask);
    }
    return pairs;
  }
}
