package dev.crucible.reward.parsers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SWE-bench 5's parser registry ({@code PARSER_REGISTRY}) by the names its rows give in
 * {@code log_parser}, several naming the same parser as there.
 */
public final class SweBenchLogParsers {
  private static final Map<String, SweBenchParser> BY_NAME = registry();

  private SweBenchLogParsers() {}

  /**
   * The parser SWE-bench registers as {@code name}, for the row with {@code instanceId} and
   * {@code version} (which a few parsers read; either null when the row has none), if this one has it.
   */
  public static Optional<LogParser> named(String name, String instanceId, String version) {
    SweBenchParser.Row row = new SweBenchParser.Row(instanceId, version);
    return Optional.ofNullable(BY_NAME.get(name)).map(parser -> log -> parser.parse(log, row));
  }

  /** Every registered name. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  private static Map<String, SweBenchParser> registry() {
    Map<String, SweBenchParser> parsers = new LinkedHashMap<>();
    PythonLogParsers.register(parsers);
    JavaScriptLogParsers.register(parsers);
    JavaScriptRunnerLogParsers.register(parsers);
    CLogParsers.register(parsers);
    GoLogParsers.register(parsers);
    JavaLogParsers.register(parsers);
    PhpLogParsers.register(parsers);
    RubyLogParsers.register(parsers);
    RustLogParsers.register(parsers);
    return Collections.unmodifiableMap(parsers);
  }
}
