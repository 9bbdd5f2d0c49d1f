package dev.crucible.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an episode ended. Infrastructure failures are their own outcome so they never count as a model
 * failure and never enter advantages.
 */
public enum Outcome {
  /** The final patch made every FAIL_TO_PASS and PASS_TO_PASS test pass. */
  RESOLVED,
  /** The agent finished but the tests do not all pass. */
  UNRESOLVED,
  /** The agent itself failed: budget exhausted without a patch, malformed output it never recovered from. */
  AGENT_ERROR,
  /** The platform failed (sandbox died, daemon gone); says nothing about the model. */
  INFRA_ERROR;

  /** The lower-case name stored in tables, for example {@code infra_error}. */
  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a stored name.
   *
   * @throws IllegalArgumentException naming the known outcomes when {@code name} is none of them
   */
  public static Outcome fromTableName(String name) {
    for (Outcome outcome : values()) {
      if (outcome.tableName().equals(name)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException(
        "unknown outcome '" + name + "'; known: "
            + Arrays.stream(values()).map(Outcome::tableName).collect(Collectors.joining(", ")));
  }
}
