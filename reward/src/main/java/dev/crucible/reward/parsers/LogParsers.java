package dev.crucible.reward.parsers;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The parsers by the name a task's {@code log_parser} gives. */
public enum LogParsers {
  PYTEST(PytestLogParser::new),
  UNITTEST(UnittestLogParser::new),
  JUNIT_XML(JUnitXmlLogParser::new);

  private final Supplier<LogParser> factory;

  LogParsers(Supplier<LogParser> factory) {
    this.factory = factory;
  }

  /** The name used in task files, for example {@code junit_xml}. */
  public String taskName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public LogParser create() {
    return factory.get();
  }

  /**
   * The parser named {@code name}.
   *
   * @throws IllegalArgumentException naming the known parsers when there is none by that name
   */
  public static LogParsers named(String name) {
    for (LogParsers parser : values()) {
      if (parser.taskName().equals(name)) {
        return parser;
      }
    }
    throw new IllegalArgumentException(
        "unknown log_parser '" + name + "'; known: "
            + Arrays.stream(values()).map(LogParsers::taskName).collect(Collectors.joining(", ")));
  }
}
