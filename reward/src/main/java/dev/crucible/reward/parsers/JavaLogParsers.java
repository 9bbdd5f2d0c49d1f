package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWE-bench 5's Java parsers ({@code swebench/harness/log_parsers/java.py}): Maven run one test per
 * command, Ant's JUnit task, and Gradle with SWE-bench's per-test logging. Every line is read with
 * Python's whitespace stripped from both ends.
 */
final class JavaLogParsers {
  private JavaLogParsers() {}

  /** Adds SWE-bench's Java entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_maven", SweBenchParser.ofLog(JavaLogParsers::maven));
    registry.put("parse_log_ant", SweBenchParser.ofLog(JavaLogParsers::ant));
    registry.put("parse_log_gradle_custom", SweBenchParser.ofLog(JavaLogParsers::gradleCustom));
  }

  /** Python's {@code \s} in a {@code str} pattern, as a class body (Java's Unicode one lacks 0x1c-0x1f). */
  private static final String S = PythonText.SPACE;
  private static final String NOT_S = PythonText.NON_SPACE;

  private static final Pattern MAVEN_COMMAND = PythonText.regex("^.*-Dtest=(" + NOT_S + "+).*$", 0);
  private static final Pattern MAVEN_RESULT = PythonText.regex("^.*BUILD (SUCCESS|FAILURE)$", 0);
  private static final Pattern ANT_RESULT =
      PythonText.regex("^" + S + "*\\[junit\\]" + S + "+\\[(PASS|FAIL|ERR)\\]" + S + "+(.*)$", 0);
  private static final Pattern GRADLE_RESULT = PythonText.regex("^([^>].+)" + S + "+(PASSED|FAILED)$", 0);
  private static final Pattern GRADLE_TEST = PythonText.regex("^([^>]" + NOT_S + "*" + S + "+>" + S + "+" + NOT_S + "+)$", 0);
  private static final Pattern GRADLE_STATUS = PythonText.regex("^(PASSED|FAILED)$", 0);

  /**
   * {@code parse_log_maven}: the eval script runs {@code mvn test -Dtest=X} once per test under
   * {@code set -x}, so each traced command names a test (its last {@code -Dtest=} value) and the next
   * {@code BUILD SUCCESS}/{@code BUILD FAILURE} gives its status, first command to first result. A
   * result that comes before any waiting command is kept and paired, in order, with the commands
   * still waiting at the end; commands that never get a result are left out.
   */
  static Map<String, TestStatus> maven(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Deque<String> waitingTests = new ArrayDeque<>();
    Deque<String> earlyResults = new ArrayDeque<>();
    for (String raw : split(log, "\n")) {
      String line = strip(raw);
      Matcher command = MAVEN_COMMAND.matcher(line);
      if (command.lookingAt()) {
        waitingTests.addLast(command.group(1));
      }
      Matcher result = MAVEN_RESULT.matcher(line);
      if (result.lookingAt()) {
        if (waitingTests.isEmpty()) {
          earlyResults.addLast(result.group(1));
        } else {
          statuses.put(waitingTests.removeFirst(), buildStatus(result.group(1)));
        }
      }
    }
    while (!waitingTests.isEmpty() && !earlyResults.isEmpty()) {
      statuses.put(waitingTests.removeFirst(), buildStatus(earlyResults.removeFirst()));
    }
    return Collections.unmodifiableMap(statuses);
  }

  private static TestStatus buildStatus(String outcome) {
    return outcome.equals("SUCCESS") ? TestStatus.PASSED : TestStatus.FAILED;
  }

  /**
   * {@code parse_log_ant}: the JUnit task's {@code [junit] [PASS] name} lines (SWE-bench's
   * formatter), {@code [FAIL]} and {@code [ERR]} both failing the test.
   */
  static Map<String, TestStatus> ant(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String raw : split(log, "\n")) {
      Matcher result = ANT_RESULT.matcher(strip(raw));
      if (result.lookingAt()) {
        statuses.put(result.group(2), result.group(1).equals("PASS") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_gradle_custom}: Gradle's per-test events as SWE-bench's build script logs them,
   * {@code com.x.FooTest > testBar PASSED} (the id is everything before the whitespace ahead of the
   * status, so a second space stays in it), and the interleaved form where a {@code Class > method}
   * line waits for a {@code PASSED} or {@code FAILED} line of its own; a line starting with
   * {@code >} names no test.
   */
  static Map<String, TestStatus> gradleCustom(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    String waitingTest = null;
    for (String raw : split(log, "\n")) {
      String line = strip(raw);
      Matcher result = GRADLE_RESULT.matcher(line);
      if (result.lookingAt()) {
        statuses.put(result.group(1), result.group(2).equals("PASSED") ? TestStatus.PASSED : TestStatus.FAILED);
        waitingTest = null;
        continue;
      }
      Matcher test = GRADLE_TEST.matcher(line);
      if (test.lookingAt()) {
        waitingTest = test.group(1);
        continue;
      }
      if (waitingTest != null) {
        Matcher status = GRADLE_STATUS.matcher(line);
        if (status.lookingAt()) {
          statuses.put(waitingTest, status.group(1).equals("PASSED") ? TestStatus.PASSED : TestStatus.FAILED);
          waitingTest = null;
        }
      }
    }
    return Collections.unmodifiableMap(statuses);
  }
}
