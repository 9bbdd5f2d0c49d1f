package dev.crucible.reward.swebench;

import dev.crucible.reward.parsers.LogParser;
import dev.crucible.reward.parsers.PythonText;
import dev.crucible.reward.parsers.TestStatus;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks SWE-bench 5 makes of an eval script's output before grading it ({@code get_logs_eval}),
 * and the markers that script prints. A log passes when it shows no failure marker, has both test
 * output markers, gives results (or evidence that the suite ran), and its results agree with the test
 * command's recorded exit code.
 */
public final class HarnessLog {
  public static final String APPLY_PATCH_FAIL = ">>>>> Patch Apply Failed";
  public static final String RESET_FAILED = ">>>>> Reset Failed";
  public static final String TESTS_ERROR = ">>>>> Tests Errored";
  public static final String TESTS_TIMEOUT = ">>>>> Tests Timed Out";
  public static final String START_TEST_OUTPUT = ">>>>> Start Test Output";
  public static final String END_TEST_OUTPUT = ">>>>> End Test Output";
  public static final String TEST_EXIT_CODE = ">>>>> Test Exit Code";

  private static final List<String> FAILURE_MARKERS = List.of(APPLY_PATCH_FAIL, RESET_FAILED, TESTS_ERROR, TESTS_TIMEOUT);
  private static final Pattern EXIT_CODE = PythonText.regex(Pattern.quote(TEST_EXIT_CODE) + ":\\s*(-?\\d+)", 0);
  /**
   * Runner summaries that prove a suite ran with at least one test, for runners whose parsers record
   * only failures (SWE-bench's {@code SUITE_RAN}); every count must be non-zero.
   */
  private static final Pattern SUITE_RAN =
      PythonText.regex(
          "Executed [1-9]\\d* of \\d+"
              + "|TOTAL: [1-9]\\d* (?:SUCCESS|FAILED)"
              + "|[1-9]\\d* passing"
              + "|Tests:\\s+[1-9]\\d*"
              + "|Test Suites:\\s+(?:\\d+ \\w+, )*[1-9]\\d* total"
              + "|^# tests [1-9]\\d*"
              + "|[1-9]\\d* specs?, \\d+ failures?"
              + "|': ok$",
          Pattern.MULTILINE);

  private HarnessLog() {}

  /**
   * What a log gave.
   *
   * @param statuses the parsed statuses, empty when refused
   * @param refusal why the log cannot be graded, or empty when it can
   */
  public record Reading(Map<String, TestStatus> statuses, Optional<String> refusal) {
    public boolean found() {
      return refusal.isEmpty();
    }

    static Reading refused(String why) {
      return new Reading(Map.of(), Optional.of(why));
    }
  }

  /** Reads {@code log}, the eval script's whole output, with {@code parser}, as the harness reads its file (universal newlines). */
  public static Reading read(String log, LogParser parser) {
    log = PythonText.universalNewlines(log);
    for (String marker : FAILURE_MARKERS) {
      if (log.contains(marker)) {
        return Reading.refused("the log shows '" + marker + "'");
      }
    }
    int start = log.indexOf(START_TEST_OUTPUT);
    if (start < 0 || !log.contains(END_TEST_OUTPUT)) {
      return Reading.refused("the log lacks the test output markers");
    }
    Map<String, TestStatus> statuses = parser.parse(testOutput(log, start));
    if (statuses.isEmpty()) {
      // Some runners print results outside the markers; SWE-bench then reads the whole log.
      statuses = parser.parse(log);
    }
    if (statuses.isEmpty() && !SUITE_RAN.matcher(log).find()) {
      return Reading.refused("the log gives no test results and no sign that the suite ran");
    }
    Optional<BigInteger> exitCode = exitCode(log);
    boolean anyFailure = statuses.values().stream().anyMatch(TestStatus::isFailure);
    if (exitCode.isPresent() && exitCode.get().signum() != 0 && !statuses.isEmpty() && !anyFailure) {
      return Reading.refused("the tests exited " + exitCode.get() + " but the log shows no failure");
    }
    return new Reading(statuses, Optional.empty());
  }

  /**
   * The text between the first start marker and the first end marker after it (or the next start
   * marker, when one comes first), as SWE-bench slices it.
   */
  private static String testOutput(String log, int start) {
    String afterStart = PythonText.before(log.substring(start + START_TEST_OUTPUT.length()), START_TEST_OUTPUT);
    return PythonText.before(afterStart, END_TEST_OUTPUT);
  }

  /** The test command's exit code the eval script recorded, if it did. */
  public static Optional<BigInteger> exitCode(String log) {
    Matcher match = EXIT_CODE.matcher(log);
    return match.find() ? Optional.of(new BigInteger(digits(match.group(1)))) : Optional.empty();
  }

  /** {@code -?\d+} in ASCII digits ({@code \d} also matches other scripts' digits, as in Python). */
  private static String digits(String number) {
    StringBuilder ascii = new StringBuilder(number.length());
    number.chars().forEach(c -> ascii.append(c == '-' ? '-' : (char) ('0' + Character.digit(c, 10))));
    return ascii.toString();
  }
}
