package dev.crucible.trainer.rl;

import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Which per-turn shaping reward {@link ProgressCredit} adds to a turn's tokens. */
public enum Shaping {
  /** MRT's progress: the change in the graded share of FAIL_TO_PASS tests each edit boundary made. */
  PROGRESS("progress", Turn::progress),
  /** The plan's fixed bonuses for planning, code, tests passing and a solve. */
  MILESTONES("milestones", Turn::milestone);

  private final String configName;
  private final Function<Turn, Double> column;

  Shaping(String configName, Function<Turn, Double> column) {
    this.configName = configName;
    this.column = column;
  }

  public String configName() {
    return configName;
  }

  /** This shaping's reward of each turn of {@code trajectory} that has one, by turn index. */
  public Map<Integer, Double> byTurn(Trajectory trajectory) {
    Map<Integer, Double> rewards = new TreeMap<>();
    for (Turn turn : trajectory.turns()) {
      Double reward = column.apply(turn);
      if (reward != null) {
        rewards.put(turn.index(), reward);
      }
    }
    return rewards;
  }

  /** The shaping a config names, or an exception listing the names there are. */
  public static Shaping named(String name) {
    for (Shaping shaping : values()) {
      if (shaping.configName.equals(name)) {
        return shaping;
      }
    }
    throw new IllegalArgumentException(
        "unknown shaping '" + name + "'; use " + Arrays.stream(values()).map(Shaping::configName).collect(Collectors.joining(" or ")));
  }
}
