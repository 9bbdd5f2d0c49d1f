package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's Java parsers. */
final class JavaLogParsers {
  private JavaLogParsers() {}

  /** Adds SWE-bench's Java entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
