package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's Ruby parsers. */
final class RubyLogParsers {
  private RubyLogParsers() {}

  /** Adds SWE-bench's Ruby entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
