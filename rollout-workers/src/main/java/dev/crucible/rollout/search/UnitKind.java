package dev.crucible.rollout.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a search result is: a whole file, or a function or method in one. */
public enum UnitKind {
  FILE,
  FUNCTION;

  /** The name in tool arguments and tables: {@code file}, {@code function}. */
  public String argumentName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the kinds */
  public static UnitKind named(String name) {
    for (UnitKind kind : values()) {
      if (kind.argumentName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown kind '" + name + "'; the kinds are "
        + Arrays.stream(values()).map(UnitKind::argumentName).collect(Collectors.joining(", ")));
  }
}
