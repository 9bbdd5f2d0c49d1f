package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go parser of SWE-bench 5's registry ({@code swebench/harness/log_parsers/go.py}), with its
 * results: statuses in the order tests first appear, a test reported twice taking its last status.
 */
final class GoLogParsers {
  private GoLogParsers() {}

  /** A result line; the name runs to the last {@code " ("} that a parenthesised duration follows. */
  private static final Pattern RESULT = PythonText.regex("^--- (PASS|FAIL|SKIP): (.+) \\((.+)\\)$", 0);

  /** Adds SWE-bench's Go entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_gotest", SweBenchParser.ofLog(GoLogParsers::gotest));
  }

  /**
   * {@code parse_log_gotest}: {@code go test -v}'s {@code --- PASS: TestX (0.00s)}, {@code --- FAIL:}
   * and {@code --- SKIP:} lines, subtests' indented ones ({@code TestX/case}) included once Python's
   * whitespace is stripped from both ends of the line.
   */
  static Map<String, TestStatus> gotest(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = RESULT.matcher(strip(line));
      if (!match.lookingAt()) {
        continue;
      }
      TestStatus status =
          switch (match.group(1)) {
            case "PASS" -> TestStatus.PASSED;
            case "FAIL" -> TestStatus.FAILED;
            default -> TestStatus.SKIPPED;
          };
      statuses.put(match.group(2), status);
    }
    return Collections.unmodifiableMap(statuses);
  }
}
