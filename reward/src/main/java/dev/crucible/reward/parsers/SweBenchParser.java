package dev.crucible.reward.parsers;

import java.util.Map;

/**
 * A parser of SWE-bench's registry: like {@link LogParser}, but also given the row's {@code version},
 * which a few of them read (Next.js and Lighthouse changed their runners between versions).
 */
@FunctionalInterface
interface SweBenchParser {
  /**
   * Statuses by test id in the order tests first appear, a test reported twice taking its last
   * status, as SWE-bench's parsers fill a Python dict.
   */
  Map<String, TestStatus> parse(String log, String version);

  /** A parser that reads the log only. */
  static SweBenchParser ofLog(LogParser parser) {
    return (log, version) -> parser.parse(log);
  }
}
