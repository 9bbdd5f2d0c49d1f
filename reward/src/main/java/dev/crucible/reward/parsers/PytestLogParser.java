package dev.crucible.reward.parsers;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pytest run with {@code -rA}: the short test summary lists every test as {@code PASSED id},
 * {@code FAILED id - message}, {@code ERROR id - message}, {@code XFAIL id - reason},
 * {@code XPASS id}, and skips as {@code SKIPPED [n] path:line: reason}, which name no test id and are
 * recorded under {@code path:line}. Verbose lines ({@code id PASSED [ 50%]}) are read too.
 */
public final class PytestLogParser implements LogParser {
  private static final Pattern SUMMARY =
      Pattern.compile("^(PASSED|FAILED|ERROR|XFAIL|XPASS) (\\S+?)(?: - .*)?$");
  private static final Pattern SKIPPED = Pattern.compile("^SKIPPED \\[\\d+\\] (\\S+?):(\\d+): .*$");
  private static final Pattern VERBOSE =
      Pattern.compile("^(\\S+::\\S+) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)(?:\\s+\\[\\s*\\d+%\\])?$");

  @Override
  public Map<String, TestStatus> parse(String log) {
    Statuses statuses = new Statuses();
    for (String raw : log.split("\n")) {
      String line = raw.stripTrailing();
      Matcher summary = SUMMARY.matcher(line);
      if (summary.matches()) {
        statuses.put(summary.group(2), TestStatus.valueOf(summary.group(1)));
        continue;
      }
      Matcher skipped = SKIPPED.matcher(line);
      if (skipped.matches()) {
        statuses.put(skipped.group(1) + ":" + skipped.group(2), TestStatus.SKIPPED);
        continue;
      }
      Matcher verbose = VERBOSE.matcher(line);
      if (verbose.matches()) {
        statuses.put(verbose.group(1), TestStatus.valueOf(verbose.group(2)));
      }
    }
    return statuses.toMap();
  }
}
