package dev.crucible.reward.parsers;

import java.util.Map;

/** SWE-bench 5's JavaScript (part one: highlightjs, prismjs, eslint, bpmn_js, openlayers, grommet, next, carbon, lighthouse, quarto_cli) parsers. */
final class JavaScriptLogParsers {
  private JavaScriptLogParsers() {}

  /** Adds SWE-bench's JavaScript (part one: highlightjs, prismjs, eslint, bpmn_js, openlayers, grommet, next, carbon, lighthouse, quarto_cli) entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {}
}
