package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.before;
import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python parsers of SWE-bench 5's registry ({@code swebench/harness/log_parsers/python.py}), with
 * its results: statuses in the order tests first appear, a test reported twice taking its last status,
 * and status words kept as they stand ({@link TestStatus#ofSweBenchWord}).
 */
final class PythonLogParsers {
  private PythonLogParsers() {}

  /** Adds SWE-bench's Python entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_pytest", SweBenchParser.ofLog(PythonLogParsers::pytest));
    registry.put("parse_log_pytest_options", SweBenchParser.ofLog(PythonLogParsers::pytestOptions));
    registry.put("parse_log_django", SweBenchParser.ofLog(PythonLogParsers::django));
    registry.put("parse_log_pytest_v2", SweBenchParser.ofLog(PythonLogParsers::pytestV2));
    registry.put("parse_log_seaborn", SweBenchParser.ofLog(PythonLogParsers::seaborn));
    registry.put("parse_log_sympy", SweBenchParser.ofLog(PythonLogParsers::sympy));
    registry.put("parse_log_matplotlib", SweBenchParser.ofLog(PythonLogParsers::matplotlib));
    for (String pytestRepository : new String[] {"astroid", "flask", "marshmallow", "pvlib", "pyvista", "sqlfluff", "xarray"}) {
      registry.put("parse_log_" + pytestRepository, SweBenchParser.ofLog(PythonLogParsers::pytest));
    }
    for (String optionsRepository : new String[] {"pydicom", "requests", "pylint"}) {
      registry.put("parse_log_" + optionsRepository, SweBenchParser.ofLog(PythonLogParsers::pytestOptions));
    }
    for (String v2Repository : new String[] {"astropy", "scikit", "sphinx"}) {
      registry.put("parse_log_" + v2Repository, SweBenchParser.ofLog(PythonLogParsers::pytestV2));
    }
  }

  /** The words that open a pytest status line, in SWE-bench's order. */
  private static final List<String> STATUS_WORDS = List.of("FAILED", "PASSED", "SKIPPED", "ERROR", "XFAIL");
  /** pytest's {@code SKIPPED [N] path:line: reason} summary, where {@code [N]} names no test. */
  private static final Pattern SKIP_COUNT = PythonText.regex("^\\[\\d+\\]$", 0);
  private static final Pattern OPTION = PythonText.regex("(.*?)\\[(.*)\\]", 0);
  private static final Pattern COLOUR = PythonText.regex("\\[(\\d+)m", 0);
  private static final Pattern SYMPY_FAILURE_HEADER = PythonText.regex("(_*) (.*)\\.py:(.*) (_*)", 0);
  private static final List<String> DJANGO_PASS_SUFFIXES = List.of(" ... ok", " ... OK", " ...  OK");
  /** Django lines where a long print splits a test's name from its {@code ok}. */
  private static final List<Pattern> DJANGO_INTERRUPTED_PASSES =
      List.of(
          PythonText.regex("^(.*?)\\s\\.\\.\\.\\sTesting\\ against\\ Django\\ installed\\ in\\ ((?s:.*?))\\ silenced\\)\\.\\nok$", Pattern.MULTILINE),
          PythonText.regex("^(.*?)\\s\\.\\.\\.\\sInternal\\ Server\\ Error:\\ \\/(.*)\\/\\nok$", Pattern.MULTILINE),
          PythonText.regex("^(.*?)\\s\\.\\.\\.\\sSystem check identified no issues \\(0 silenced\\)\\nok$", Pattern.MULTILINE));

  /** {@code parse_log_pytest}: {@code STATUS id} lines, a failure's {@code - message} dropped. */
  static Map<String, TestStatus> pytest(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      pytestLine(line, statuses);
    }
    return Collections.unmodifiableMap(statuses);
  }

  /** {@code parse_log_matplotlib}: pytest's, with mouse buttons written as their numbers. */
  static Map<String, TestStatus> matplotlib(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      pytestLine(line.replace("MouseButton.LEFT", "1").replace("MouseButton.RIGHT", "3"), statuses);
    }
    return Collections.unmodifiableMap(statuses);
  }

  private static void pytestLine(String line, Map<String, TestStatus> statuses) {
    List<String> words = statusLineWords(line);
    if (words != null) {
      statuses.put(words.get(1), TestStatus.ofSweBenchWord(words.get(0)));
    }
  }

  /** A status line's words (status, id, ...), or null when the line is none or a skip count. */
  private static List<String> statusLineWords(String line) {
    if (!startsWithStatus(line)) {
      return null;
    }
    if (line.startsWith("FAILED")) {
      line = line.replace(" - ", " ");
    }
    List<String> words = split(line);
    if (words.size() <= 1 || isSkipCount(words.get(0), words.get(1))) {
      return null;
    }
    return words;
  }

  /**
   * {@code parse_log_pytest_options}: pytest's, with a parameter that is an absolute path cut to its
   * last component ({@code test_x[/tmp/a/b.txt]} is {@code test_x[/b.txt]}).
   */
  static Map<String, TestStatus> pytestOptions(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      List<String> words = statusLineWords(line);
      if (words == null) {
        continue;
      }
      String test = words.get(1);
      Matcher option = OPTION.matcher(test);
      if (option.find()) {
        String parameter = option.group(2);
        if (parameter.startsWith("/") && !parameter.startsWith("//") && !parameter.contains("*")) {
          List<String> parts = split(parameter, "/");
          parameter = "/" + parts.get(parts.size() - 1);
        }
        test = option.group(1) + "[" + parameter + "]";
      }
      statuses.put(test, TestStatus.ofSweBenchWord(words.get(0)));
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_pytest_v2}: colour codes and control characters removed; the id is every word
   * after the status (so it may hold spaces); lines that end with a status word, from older pytest,
   * are read too.
   */
  static Map<String, TestStatus> pytestV2(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String raw : split(log, "\n")) {
      String line = withoutControlCharacters(COLOUR.matcher(raw).replaceAll(""));
      if (startsWithStatus(line)) {
        if (line.startsWith("FAILED")) {
          line = before(line, " - ");
        }
        List<String> words = split(line);
        if (words.size() >= 2 && !isSkipCount(words.get(0), words.get(1))) {
          statuses.put(String.join(" ", words.subList(1, words.size())), TestStatus.ofSweBenchWord(words.get(0)));
        }
      } else if (STATUS_WORDS.stream().anyMatch(line::endsWith)) {
        List<String> words = split(line);
        if (words.size() >= 2) {
          statuses.put(String.join(" ", words.subList(0, words.size() - 1)), TestStatus.ofSweBenchWord(words.get(words.size() - 1)));
        }
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /** {@code parse_log_seaborn}. */
  static Map<String, TestStatus> seaborn(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      List<String> words = split(line);
      if (words.size() < 2) {
        continue;
      }
      if (line.startsWith("FAILED")) {
        statuses.put(words.get(1), TestStatus.FAILED);
      } else if (line.contains(" PASSED ")) {
        if (words.get(1).equals("PASSED")) {
          statuses.put(words.get(0), TestStatus.PASSED);
        }
      } else if (line.startsWith("PASSED")) {
        statuses.put(words.get(1), TestStatus.PASSED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_sympy}: sympy's {@code bin/test}, whose failure headers
   * ({@code ____ sympy/x/tests/test_y.py:test_z ____}) fail a test and whose {@code test_z ok},
   * {@code F} and {@code E} lines give the rest.
   */
  static Map<String, TestStatus> sympy(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Matcher header = SYMPY_FAILURE_HEADER.matcher(log);
    while (header.find()) {
      statuses.put(header.group(2) + ".py:" + header.group(3), TestStatus.FAILED);
    }
    for (String raw : split(log, "\n")) {
      String line = strip(raw);
      if (!line.startsWith("test_")) {
        continue;
      }
      String test = split(line).get(0);
      if (line.endsWith(" E")) {
        statuses.put(test, TestStatus.ERROR);
      }
      if (line.endsWith(" F")) {
        statuses.put(test, TestStatus.FAILED);
      }
      if (line.endsWith(" ok")) {
        statuses.put(test, TestStatus.PASSED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_django}: Django's runner at verbosity 2 ({@code name ... ok}), tests named as it
   * names them (by docstring when they have one), {@code FAIL:}/{@code ERROR:} headers, an {@code ok}
   * on a later line, and the three known interruptions of a line.
   */
  static Map<String, TestStatus> django(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    String previousTest = null;
    for (String raw : split(log, "\n")) {
      String line = strip(raw);
      if (line.contains("--version is equivalent to version")) {
        statuses.put("--version is equivalent to version", TestStatus.PASSED);
      }
      if (line.contains(" ... ")) {
        previousTest = before(line, " ... ");
      }
      for (String suffix : DJANGO_PASS_SUFFIXES) {
        if (line.endsWith(suffix)) {
          // SWE-bench's special case for django__django-7188, where a migration's output precedes the test.
          if (line.startsWith("Applying sites.0002_alter_domain_unique...test_no_migrations")) {
            line = strip(line.substring(line.indexOf("...") + 3));
          }
          statuses.put(line.substring(0, line.lastIndexOf(suffix)), TestStatus.PASSED);
          break;
        }
      }
      if (line.contains(" ... skipped")) {
        statuses.put(before(line, " ... skipped"), TestStatus.SKIPPED);
      }
      if (line.endsWith(" ... FAIL")) {
        statuses.put(before(line, " ... FAIL"), TestStatus.FAILED);
      }
      if (line.startsWith("FAIL:")) {
        putHeaderTest(line, TestStatus.FAILED, statuses);
      }
      if (line.endsWith(" ... ERROR")) {
        statuses.put(before(line, " ... ERROR"), TestStatus.ERROR);
      }
      if (line.startsWith("ERROR:")) {
        putHeaderTest(line, TestStatus.ERROR, statuses);
      }
      if (PythonText.stripLeading(line).startsWith("ok") && previousTest != null) {
        statuses.put(previousTest, TestStatus.PASSED);
      }
    }
    for (Pattern interrupted : DJANGO_INTERRUPTED_PASSES) {
      Matcher match = interrupted.matcher(log);
      while (match.find()) {
        statuses.put(match.group(1), TestStatus.PASSED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * A {@code FAIL: name (module.Class)} header's test: its second word. A bare {@code FAIL:} line
   * names none (SWE-bench's parser stops with an error there; this one reads on).
   */
  private static void putHeaderTest(String line, TestStatus status, Map<String, TestStatus> statuses) {
    List<String> words = split(line);
    if (words.size() > 1) {
      statuses.put(words.get(1), status);
    }
  }

  private static boolean startsWithStatus(String line) {
    return STATUS_WORDS.stream().anyMatch(line::startsWith);
  }

  private static boolean isSkipCount(String status, String name) {
    return status.equals("SKIPPED") && SKIP_COUNT.matcher(name).find();
  }

  /** Removes the characters 1 to 31, as pytest_v2's translation table does (tabs included). */
  private static String withoutControlCharacters(String line) {
    StringBuilder kept = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == 0 || c > 31) {
        kept.append(c);
      }
    }
    return kept.toString();
  }
}
