package dev.crucible.reward.parsers;

import java.util.Map;

/** Reads a test run's output into the status of each test it names. */
public interface LogParser {

  /**
   * Statuses by test id, in the id format of the task's FAIL_TO_PASS and PASS_TO_PASS lists. A test
   * reported twice keeps its worst status.
   */
  Map<String, TestStatus> parse(String log);
}
