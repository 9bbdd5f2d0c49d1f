package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SWE-bench 5's PHP parser ({@code swebench/harness/log_parsers/php.py}). */
final class PhpLogParsers {
  private PhpLogParsers() {}

  /** Adds SWE-bench's PHP entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_phpunit", SweBenchParser.ofLog(PhpLogParsers::phpunit));
  }

  /** Python's {@code \s} in a {@code str} pattern, as a class body (Java's Unicode one lacks 0x1c-0x1f). */
  /**
   * Python's {@code \w} in a {@code str} pattern: letters, numbers and the underscore (Java's Unicode
   * {@code \w} adds marks and connectors and leaves out numbers like {@code ½}).
   */
  private static final String WORD = PythonText.WORD;
  private static final Pattern SUITE = PythonText.regex("^(" + WORD + ".+) \\(.+\\)$", 0);
  /** A testdox line: a check mark (passed), a cross (failed) or a return arrow (skipped), then the test. */
  private static final Pattern TEST = PythonText.regex("^" + PythonText.SPACE + "*([\u2714\u2718\u21a9])" + PythonText.SPACE + "*(.*)$", 0);

  /**
   * {@code parse_log_phpunit}: PHPUnit's {@code --testdox} output, where a {@code Suite Name (Fully\Qualified\Class)}
   * line opens a suite and each test under it is {@code ✔ name}, {@code ✘ name} or {@code ↩ name}; a test
   * is {@code Suite Name > name}, with {@code None} for a suite when none opened yet (as Python formats
   * it). Lines are read as they stand, not stripped, so a carriage return stays in a test's name and keeps
   * a suite line from counting.
   */
  static Map<String, TestStatus> phpunit(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    String suite = "None";
    for (String line : split(log, "\n")) {
      Matcher suiteLine = SUITE.matcher(line);
      if (suiteLine.lookingAt()) {
        suite = suiteLine.group(1);
        continue;
      }
      Matcher test = TEST.matcher(line);
      if (test.lookingAt()) {
        TestStatus status =
            switch (test.group(1)) {
              case "\u2714" -> TestStatus.PASSED;
              case "\u2718" -> TestStatus.FAILED;
              default -> TestStatus.SKIPPED;
            };
        statuses.put(suite + " > " + test.group(2), status);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }
}
