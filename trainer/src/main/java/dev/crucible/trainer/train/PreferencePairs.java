package dev.crucible.trainer.train;

import dev.crucible.data.PreferencePair;
import dev.crucible.data.Trajectory;
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

  /**
   * @param maxPerTask at most this many pairs per task, widest reward gaps first (0 = no limit)
   */
  public static List<PreferencePair> build(List<Trajectory> trajectories, String runId, double threshold, int maxPerTask) {
    Map<String, List<Trajectory>> byTask = new TreeMap<>();
    for (Trajectory trajectory : trajectories) {
      if (trajectory.reward() != null) {
        byTask.computeIfAbsent(trajectory.taskId(), t -> new ArrayList<>()).add(trajectory);
      }
    }
    List<PreferencePair> pairs = new ArrayList<>();
    for (List<Trajectory> episodes : byTask.values()) {
      episodes.sort(Comparator.comparing(Trajectory::episodeId));
      List<PreferencePair> forTask = new ArrayList<>();
      for (int i = 0; i < episodes.size(); i++) {
        for (int j = i + 1; j < episodes.size(); j++) {
          Trajectory a = episodes.get(i);
          Trajectory b = episodes.get(j);
          double gap = a.reward().total() - b.reward().total();
          if (Math.abs(gap) >= threshold && gap != 0) {
            Trajectory chosen = gap > 0 ? a : b;
            Trajectory rejected = gap > 0 ? b : a;
            forTask.add(new PreferencePair(PreferencePair.pairId(chosen.episodeId(), rejected.episodeId()), runId,
                chosen.iteration(), chosen.taskId(), chosen.episodeId(), rejected.episodeId(), chosen.reward().total(),
                rejected.reward().total(), null, null));
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
