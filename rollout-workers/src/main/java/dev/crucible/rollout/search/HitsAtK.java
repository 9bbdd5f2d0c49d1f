package dev.crucible.rollout.search;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** Hit@k of a localizer over tasks: the share of tasks whose first k results hold a gold location, for k = 1, 5, 10. */
public final class HitsAtK {
  static final int[] K = {1, 5, 10};

  private final int[] hits = new int[K.length];
  private int tasks;

  /** Counts one task; a task without gold locations at this level is left out. */
  public void add(List<String> ranking, Set<String> gold) {
    if (gold.isEmpty()) {
      return;
    }
    tasks++;
    for (int i = 0; i < K.length; i++) {
      if (ranking.stream().limit(K[i]).anyMatch(gold::contains)) {
        hits[i]++;
      }
    }
  }

  public int tasks() {
    return tasks;
  }

  /** The share of counted tasks hit within the first {@code K[index]} results; 0 with no task counted. */
  public double rate(int index) {
    return tasks == 0 ? 0 : (double) hits[index] / tasks;
  }

  /** {@code {"tasks": N, "hit@1": …, "hit@5": …, "hit@10": …}}, rates rounded to four places. */
  public ObjectNode json() {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("tasks", tasks);
    for (int i = 0; i < K.length; i++) {
      json.put("hit@" + K[i], Math.round(rate(i) * 10000) / 10000.0);
    }
    return json;
  }
}
