package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's Rust parsers. */
final class RustLogParsers {
  private RustLogParsers() {}

  /** Adds SWE-bench's Rust entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
