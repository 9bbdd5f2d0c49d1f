package dev.crucible.reward.parsers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parsers by the name a task's {@code log_parser} gives: Crucible's own ({@code pytest},
 * {@code unittest}, {@code junit_xml}) or one of SWE-bench's registry ({@code parse_log_pytest}, ...),
 * which grade as the official harness does.
 */
public final class LogParsers {
  private static final Map<String, LogParser> CRUCIBLE =
      Map.of("pytest", new PytestLogParser(), "unittest", new UnittestLogParser(), "junit_xml", new JUnitXmlLogParser());

  private LogParsers() {}

  /**
   * The parser named {@code name}.
   *
   * @throws IllegalArgumentException naming the known parsers when there is none by that name
   */
  public static LogParser named(String name) {
    LogParser crucible = CRUCIBLE.get(name);
    if (crucible != null) {
      return crucible;
    }
    return SweBenchLogParsers.named(name, null)
        .orElseThrow(() -> new IllegalArgumentException("unknown log_parser '" + name + "'; known: " + String.join(", ", known())));
  }

  private static List<String> known() {
    List<String> names = new ArrayList<>(List.of("pytest", "unittest", "junit_xml"));
    names.addAll(SweBenchLogParsers.names());
    return names;
  }
}
