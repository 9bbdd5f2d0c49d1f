package dev.crucible.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much of the answer a generated task's problem statement gives away, from nothing to the exact
 * edit. The same bug at a higher level is the same task made easier in a controlled way, so a
 * curriculum can start where a small model learns and move towards {@link #NONE}. Each level adds to
 * the one before it.
 */
public enum HintLevel {
  /** Only the failing tests. */
  NONE,
  /** The file that holds the bug. */
  FILE,
  /** The file and the enclosing function. */
  FUNCTION,
  /** The file, the function and the line. */
  LINE,
  /** All of that and the exact replacement: the text to replace and what replaces it. */
  FIX;

  /** The lower-case name stored in tables and given on the command line, for example {@code function}. */
  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a stored or typed name.
   *
   * @throws IllegalArgumentException naming the known levels when {@code name} is none of them
   */
  public static HintLevel fromTableName(String name) {
    for (HintLevel level : values()) {
      if (level.tableName().equals(name)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "unknown hint level '" + name + "'; known: " + Arrays.stream(values()).map(HintLevel::tableName).collect(Collectors.joining(", ")));
  }
}
