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
  private static final Map<String, LogParser> BY_NAME = registry();

  private SweBenchLogParsers() {}

  /** The parser SWE-bench registers as {@code name}, if this one has it. */
  public static Optional<LogParser> named(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Every registered name, in the registry's order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  private static Map<String, LogParser> registry() {
    Map<String, LogParser> parsers = new LinkedHashMap<>();
    parsers.put("parse_log_pytest", PythonLogParsers::pytest);
    parsers.put("parse_log_pytest_options", PythonLogParsers::pytestOptions);
    parsers.put("parse_log_django", PythonLogParsers::django);
    parsers.put("parse_log_pytest_v2", PythonLogParsers::pytestV2);
    parsers.put("parse_log_seaborn", PythonLogParsers::seaborn);
    parsers.put("parse_log_sympy", PythonLogParsers::sympy);
    parsers.put("parse_log_matplotlib", PythonLogParsers::matplotlib);
    for (String pytestRepository : new String[] {"astroid", "flask", "marshmallow", "pvlib", "pyvista", "sqlfluff", "xarray"}) {
      parsers.put("parse_log_" + pytestRepository, PythonLogParsers::pytest);
    }
    for (String optionsRepository : new String[] {"pydicom", "requests", "pylint"}) {
      parsers.put("parse_log_" + optionsRepository, PythonLogParsers::pytestOptions);
    }
    for (String v2Repository : new String[] {"astropy", "scikit", "sphinx"}) {
      parsers.put("parse_log_" + v2Repository, PythonLogParsers::pytestV2);
    }
    return Collections.unmodifiableMap(parsers);
  }
}
