package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's PHP parsers. */
final class PhpLogParsers {
  private PhpLogParsers() {}

  /** Adds SWE-bench's PHP entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
