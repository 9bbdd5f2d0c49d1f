package dev.crucible.reward.parsers;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code python -m unittest -v}: one line per test, {@code test_name (module.Class.test_name) ... ok}.
 * The id is the text before {@code " ... "}, as SWE-bench's Django parser keeps it. A result that
 * lands on a later line (the test printed output) is matched by its id's line ending in
 * {@code " ... "}.
 */
public final class UnittestLogParser implements LogParser {
  private static final Pattern TEST_LINE = Pattern.compile("^(.+? \\(.+\\)) \\.\\.\\.(.*)$");

  @Override
  public Map<String, TestStatus> parse(String log) {
    Statuses statuses = new Statuses();
    String pending = null;
    for (String raw : log.split("\n")) {
      String line = raw.strip();
      Matcher test = TEST_LINE.matcher(line);
      String id = test.matches() ? test.group(1) : pending;
      TestStatus status = status(test.matches() ? test.group(2).strip() : line);
      if (status != null && id != null) {
        statuses.put(id, status);
        pending = null;
      } else if (test.matches()) {
        pending = test.group(1);
      }
    }
    return statuses.toMap();
  }

  private static TestStatus status(String word) {
    if (word.equals("ok")) {
      return TestStatus.PASSED;
    }
    if (word.equals("FAIL") || word.equals("unexpected success")) {
      return TestStatus.FAILED;
    }
    if (word.equals("ERROR")) {
      return TestStatus.ERROR;
    }
    if (word.startsWith("skipped")) {
      return TestStatus.SKIPPED;
    }
    if (word.equals("expected failure")) {
      return TestStatus.XFAIL;
    }
    return null;
  }
}
