package dev.crucible.reward.parsers;

import java.util.LinkedHashMap;
import java.util.Map;

/** Collects statuses, keeping the worst when a test is reported more than once (a teardown error after a pass). */
final class Statuses {
  private final Map<String, TestStatus> byTest = new LinkedHashMap<>();

  void put(String test, TestStatus status) {
    byTest.merge(test, status, Statuses::worse);
  }

  Map<String, TestStatus> toMap() {
    return Map.copyOf(byTest);
  }

  private static TestStatus worse(TestStatus a, TestStatus b) {
    if (a.isFailure() || b.isFailure()) {
      return a == TestStatus.ERROR || b == TestStatus.ERROR ? TestStatus.ERROR : TestStatus.FAILED;
    }
    return b;
  }
}
