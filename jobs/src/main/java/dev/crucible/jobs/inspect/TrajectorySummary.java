package dev.crucible.jobs.inspect;

import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-iteration aggregates of a trajectory table: episodes by outcome, and means of the reward and
 * its components over graded episodes (infra errors are not graded, so they do not drag means down).
 * Fed one trajectory at a time, so a table of any size is summarized in constant memory per iteration.
 */
public final class TrajectorySummary {
  private final Map<Integer, Totals> byIteration = new TreeMap<>();
  private final Map<String, Totals> byScaffoldAndMode = new TreeMap<>();
  private final Map<String, long[]> toolCallsByPhase = new TreeMap<>();
  private final Map<String, Long> byPolicyVersion = new TreeMap<>();
  /** Assistant turns, and those whose text held a call that parsed (a tool name was read from it). */
  private long assistantTurns;
  private long wellFormedCalls;
  private final Totals all = new Totals();
  private final Localization localization;

  /** A summary without the localization funnel. */
  public TrajectorySummary() {
    this(Map.of());
  }

  /** @param tasks the run's tasks by id, for the localization funnel; empty to leave it out */
  public TrajectorySummary(Map<String, TaskInstance> tasks) {
    this.localization = new Localization(tasks);
  }

  public void add(Trajectory trajectory) {
    byIteration.computeIfAbsent(trajectory.iteration(), i -> new Totals()).add(trajectory);
    byScaffoldAndMode.computeIfAbsent(trajectory.scaffold() + "/" + trajectory.mode(), k -> new Totals()).add(trajectory);
    byPolicyVersion.merge(trajectory.policyVersion(), 1L, Long::sum);
    all.add(trajectory);
    localization.add(trajectory);
    for (Turn turn : trajectory.turns()) {
      if (turn.role().equals("assistant")) {
        assistantTurns++;
        wellFormedCalls += turn.toolName() != null ? 1 : 0;
      }
      if (turn.role().equals("tool")) {
        long[] calls = toolCallsByPhase.computeIfAbsent(turn.phase() == null ? "-" : turn.phase(), p -> new long[2]);
        calls[0]++;
        calls[1] += turn.toolFailed() ? 0 : 1;
      }
    }
  }

  public long episodes() {
    return all.episodes;
  }

  public long count(Outcome outcome) {
    return all.outcomes.getOrDefault(outcome, 0L);
  }

  public double meanReward() {
    return all.mean(all.reward);
  }

  /** The policy versions line and a fixed-width table, one row per iteration and a total row. */
  public String format() {
    StringBuilder text = new StringBuilder("policy versions:");
    byPolicyVersion.forEach((version, count) -> text.append(' ').append(version).append(" (").append(count).append(')'));
    text.append(System.lineSeparator());
    text.append(
        String.format(
            Locale.ROOT,
            "%-9s %8s %8s %10s %11s %11s %8s %8s %6s %6s %8s %6s %8s %6s%n",
            "iteration", "episodes", "resolved", "unresolved", "agent_error", "infra_error",
            "resolve%", "reward", "f2p", "p2p", "coverage", "lint", "tokens", "steps"));
    byIteration.forEach((iteration, totals) -> text.append(totals.row(String.valueOf(iteration))));
    if (byIteration.size() > 1) {
      text.append(all.row("all"));
    }
    if (byScaffoldAndMode.size() > 1) {
      text.append("by scaffold/mode:\n");
      byScaffoldAndMode.forEach((key, totals) -> text.append(totals.row(key)));
    }
    if (assistantTurns > 0) {
      text.append(String.format(Locale.ROOT, "well-formed tool calls: %d of %d assistant turns (%.1f%%)%n", wellFormedCalls,
          assistantTurns, 100.0 * wellFormedCalls / assistantTurns));
    }
    if (!toolCallsByPhase.isEmpty()) {
      text.append("tool calls (success rate):");
      toolCallsByPhase.forEach(
          (phase, calls) ->
              text.append(String.format(Locale.ROOT, " %s %d (%.1f%%)", phase.equals("-") ? "all" : phase, calls[0], 100.0 * calls[1] / calls[0])));
      text.append('\n');
    }
    return text.append(localization.format()).toString();
  }

  private static final class Totals {
    long episodes;
    final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    long graded;
    long covered;
    double reward;
    double failToPass;
    double passToPass;
    double coverage;
    double lint;
    double tokens;
    double steps;

    void add(Trajectory t) {
      episodes++;
      outcomes.merge(t.outcome(), 1L, Long::sum);
      RewardBreakdown r = t.reward();
      if (r == null) {
        return;
      }
      graded++;
      reward += r.total();
      failToPass += r.failToPassFraction();
      passToPass += r.passToPassFraction();
      if (r.changedLineCoverage() != null) {
        covered++;
        coverage += r.changedLineCoverage();
      }
      lint += r.lintIssuesIntroduced();
      tokens += r.tokens();
      steps += r.steps();
    }

    double mean(double sum) {
      return graded == 0 ? Double.NaN : sum / graded;
    }

    String row(String label) {
      long resolved = outcomes.getOrDefault(Outcome.RESOLVED, 0L);
      return String.format(
          Locale.ROOT,
          "%-9s %8d %8d %10d %11d %11d %8.1f %8.3f %6.2f %6.2f %8.2f %6.2f %8.0f %6.1f%n",
          label, episodes, resolved, outcomes.getOrDefault(Outcome.UNRESOLVED, 0L),
          outcomes.getOrDefault(Outcome.AGENT_ERROR, 0L), outcomes.getOrDefault(Outcome.INFRA_ERROR, 0L),
          episodes == 0 ? Double.NaN : 100.0 * resolved / episodes, mean(reward), mean(failToPass),
          mean(passToPass), covered == 0 ? Double.NaN : coverage / covered, mean(lint), mean(tokens),
          mean(steps));
    }
  }
}
