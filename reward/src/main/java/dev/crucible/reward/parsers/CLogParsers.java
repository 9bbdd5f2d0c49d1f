package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's C parsers. */
final class CLogParsers {
  private CLogParsers() {}

  /** Adds SWE-bench's C entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
