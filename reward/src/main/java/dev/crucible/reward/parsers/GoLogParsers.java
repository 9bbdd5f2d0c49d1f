package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's Go parsers. */
final class GoLogParsers {
  private GoLogParsers() {}

  /** Adds SWE-bench's Go entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
