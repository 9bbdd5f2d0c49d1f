package dev.crucible.reward.parsers;

import java.util.Map;

/**
 * A parser of SWE-bench's registry: like {@link LogParser}, but also given the row it grades, whose
 * {@code instance_id} or {@code version} a few of them read (Jekyll and immutable.js pick a runner's
 * parser by pull request, Next.js and Lighthouse by version).
 */
@FunctionalInterface
interface SweBenchParser {
  /**
   * Statuses by test id in the order tests first appear, a test reported twice taking its last
   * status, as SWE-bench's parsers fill a Python dict.
   */
  Map<String, TestStatus> parse(String log, Row row);

  /**
   * The fields of a row a parser may read.
   *
   * @param instanceId its {@code instance_id}, or null when there is none
   * @param version its {@code version}, or null when there is none
   */
  record Row(String instanceId, String version) {}

  /** A parser that reads the log only. */
  static SweBenchParser ofLog(LogParser parser) {
    return (log, row) -> parser.parse(log);
  }
}
