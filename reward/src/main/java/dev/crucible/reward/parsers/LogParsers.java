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
   * The parser named {@code name}, for a row with no {@code instance_id} or {@code version} to read.
   *
   * @throws IllegalArgumentException naming the known parsers when there is none by that name
   */
  public static LogParser named(String name) {
    return named(name, null, null);
  }

  /**
   * The parser named {@code name} for the row with {@code instanceId} and {@code version}, which a few
   * of SWE-bench's parsers read.
   *
   * @throws IllegalArgumentException naming the known parsers when there is none by that name
   */
  public static LogParser named(String name, String instanceId, String version) {
    LogParser crucible = CRUCIBLE.get(name);
    if (crucible != null) {
      return crucible;
    }
    return SweBenchLogParsers.named(name, instanceId, version)
        .orElseThrow(() -> new IllegalArgumentException("unknown log_parser '" + name + "'; known: " + String.join(", ", known())));
  }

  private static List<String> known() {
    List<String> names = new ArrayList<>(List.of("pytest", "unittest", "junit_xml"));
    names.addAll(SweBenchLogParsers.names());
    return names;
  }
}
