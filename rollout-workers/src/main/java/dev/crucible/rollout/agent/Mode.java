package dev.crucible.rollout.agent;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How much effort an episode may take: the step budget and the system prompt's guidance. */
public enum Mode {
  FAST(10, "Be quick: find the likely cause, make the smallest fix, run the tests once, submit."),
  STANDARD(30, "Explore enough to understand the bug, fix it, run the tests, and submit when they pass."),
  DEEP(100, "Investigate thoroughly: reproduce the failure, read the related code, fix the root cause, run the tests, and submit.");

  private final int maxSteps;
  private final String guidance;

  Mode(int maxSteps, String guidance) {
    this.maxSteps = maxSteps;
    this.guidance = guidance;
  }

  /** Assistant turns allowed before the episode ends without a submit. */
  public int maxSteps() {
    return maxSteps;
  }

  public String guidance() {
    return guidance;
  }

  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the modes for an unknown one */
  public static Mode named(String name) {
    for (Mode mode : values()) {
      if (mode.tableName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + name + "'; known: " + Arrays.stream(values()).map(Mode::tableName).collect(Collectors.joining(", ")));
  }
}
