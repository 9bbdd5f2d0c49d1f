package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's JavaScript (part two: calypso, chart_js, marked, p5js, react_pdf, jest, jest_json, vitest, karma, tap, immutable_js) parsers. */
final class JavaScriptRunnerLogParsers {
  private JavaScriptRunnerLogParsers() {}

  /** Adds SWE-bench's JavaScript (part two: calypso, chart_js, marked, p5js, react_pdf, jest, jest_json, vitest, karma, tap, immutable_js) entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
