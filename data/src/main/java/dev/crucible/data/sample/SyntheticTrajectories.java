package dev.crucible.data.sample;

import dev.crucible.data.ContainerMetrics;
import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates trajectories shaped like real agent episodes: a system prompt and the problem statement,
 * then assistant turns that call tools ({@code view_file}, {@code search_files},
 * {@code str_replace_editor}, {@code run_tests}) each followed by a tool observation of a few KB of
 * code or test output, and a final patch. Deterministic for a seed.
 *
 * <p>Outcomes are drawn at random and mean nothing: these rows exercise storage and analysis, never
 * training. Their {@code policy_version} is {@link #POLICY_VERSION} so they cannot be mistaken for
 * real episodes.
 */
public final class SyntheticTrajectories {
  /** The policy version every synthetic trajectory carries. */
  public static final String POLICY_VERSION = "synthetic";

  private static final String[] TOOLS = {"view_file", "search_files", "str_replace_editor", "run_tests"};
  private static final String CODE_LINE =
      "    def normalize(self, value: str) -> str:  # keeps the original spacing of the input\n";

  private final int turns;
  private final int observationBytes;

  /**
   * @param turns messages per episode, at least 2 (system and user)
   * @param observationBytes approximate size of each tool observation, in bytes
   */
  public SyntheticTrajectories(int turns, int observationBytes) {
    if (turns < 2) {
      throw new IllegalArgumentException("turns must be >= 2, got " + turns);
    }
    if (observationBytes < 0) {
      throw new IllegalArgumentException("observationBytes must be >= 0, got " + observationBytes);
    }
    this.turns = turns;
    this.observationBytes = observationBytes;
  }

  /** One episode; the same arguments always give the same trajectory. */
  public Trajectory episode(String runId, int iteration, String taskId, int sampleIndex, long seed) {
    SplittableRandom random =
        new SplittableRandom(seed ^ EpisodeId.of(runId, iteration, taskId, sampleIndex).hashCode());
    long start = 1_760_000_000_000L + random.nextLong(1_000_000_000L);
    List<Turn> messages = new ArrayList<>(turns);
    messages.add(message(0, "system", "You are a software engineer fixing a bug in a repository.", start));
    messages.add(message(1, "user", "Task " + taskId + ": the function returns the wrong value.", start));
    long tokens = 0;
    int steps = 0;
    long clock = start;
    for (int index = 2; index < turns; index++) {
      Turn turn = index % 2 == 0 ? assistantTurn(index, clock, random) : toolTurn(index, clock, random);
      tokens += turn.tokenIds().size();
      steps += turn.role().equals("assistant") ? 1 : 0;
      clock += turn.generationMillis() + turn.toolMillis();
      messages.add(turn);
    }
    Outcome outcome = drawOutcome(random);
    RewardBreakdown reward =
        outcome == Outcome.INFRA_ERROR ? null : reward(outcome, tokens, steps, random);
    return new Trajectory(
        EpisodeId.of(runId, iteration, taskId, sampleIndex),
        runId,
        iteration,
        taskId,
        sampleIndex,
        POLICY_VERSION,
        "single",
        "standard",
        ModeChooser.CONFIG,
        messages,
        "diff --git a/src/module.py b/src/module.py\n--- a/src/module.py\n+++ b/src/module.py\n"
            + "@@ -1 +1 @@\n-    return value\n+    return value.strip()\n",
        outcome,
        outcome == Outcome.INFRA_ERROR ? "synthetic sandbox failure" : null,
        reward,
        new ContainerMetrics(200 + random.nextInt(400), (long) random.nextInt(60_000), 1L << 27),
        start,
        clock - start);
  }

  private static Turn message(int index, String role, String content, long at) {
    return new Turn(index, role, null, content, null, null, null, List.of(), List.of(), at, 0, 0);
  }

  private static Turn assistantTurn(int index, long at, SplittableRandom random) {
    String tool = TOOLS[random.nextInt(TOOLS.length)];
    int tokenCount = 40 + random.nextInt(160);
    List<Integer> tokenIds = new ArrayList<>(tokenCount);
    List<Float> logprobs = new ArrayList<>(tokenCount);
    for (int i = 0; i < tokenCount; i++) {
      tokenIds.add(random.nextInt(151_000));
      logprobs.add((float) -random.nextDouble(4.0));
    }
    return new Turn(
        index,
        "assistant",
        null,
        "I will use " + tool + " to look at the code around the failing test.",
        tool,
        "{\"path\": \"src/module.py\", \"view_range\": [1, 120]}",
        null,
        tokenIds,
        logprobs,
        at,
        50 + random.nextInt(950),
        0);
  }

  private Turn toolTurn(int index, long at, SplittableRandom random) {
    StringBuilder observation = new StringBuilder(observationBytes + CODE_LINE.length());
    int line = 1 + random.nextInt(500);
    while (observation.length() < observationBytes) {
      observation.append(line++).append('\t').append(CODE_LINE);
    }
    return new Turn(
        index, "tool", null, "", null, null, observation.toString(), List.of(), List.of(), at, 0,
        5 + random.nextInt(2_000));
  }

  private static Outcome drawOutcome(SplittableRandom random) {
    double draw = random.nextDouble();
    if (draw < 0.3) {
      return Outcome.RESOLVED;
    }
    if (draw < 0.8) {
      return Outcome.UNRESOLVED;
    }
    return draw < 0.9 ? Outcome.AGENT_ERROR : Outcome.INFRA_ERROR;
  }

  /** The default weights of shared/DESIGN.md, applied to random signals consistent with the outcome. */
  private static RewardBreakdown reward(Outcome outcome, long tokens, int steps, SplittableRandom random) {
    boolean resolved = outcome == Outcome.RESOLVED;
    double failToPass = resolved ? 1.0 : random.nextInt(3) / 3.0;
    double passToPass = resolved ? 1.0 : 0.5 + random.nextInt(6) / 10.0;
    double coverage = random.nextInt(11) / 10.0;
    int lint = random.nextInt(3);
    double total = (resolved ? 1.0 : 0.0) + 0.2 * coverage - 0.0001 * tokens - 0.05 * lint;
    return new RewardBreakdown(
        resolved, failToPass, passToPass, coverage, lint, tokens, steps, 0.0, 0.0, total);
  }
}
