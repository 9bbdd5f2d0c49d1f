package dev.crucible.reward.grading;

import static dev.crucible.reward.parsers.TestStatus.ERROR;
import static dev.crucible.reward.parsers.TestStatus.FAILED;
import static dev.crucible.reward.parsers.TestStatus.PASSED;
import static dev.crucible.reward.parsers.TestStatus.SKIPPED;
import static dev.crucible.reward.parsers.TestStatus.XFAIL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweBenchGraderTest {

  @Test
  void sortsEachTestAsSweBenchDoes() {
    TestsReport report =
        SweBenchGrader.grade(
            List.of("f1", "f2", "f3"),
            List.of("p1", "p2", "p3", "p4"),
            Map.of("f1", PASSED, "f2", FAILED, "p1", PASSED, "p2", XFAIL, "p3", SKIPPED, "p4", ERROR));
    assertThat(report.failToPassSuccess()).containsExactly("f1");
    assertThat(report.failToPassFailure()).as("f3 is missing from the log").containsExactly("f2", "f3");
    assertThat(report.passToPassSuccess()).containsExactly("p1", "p2");
    assertThat(report.passToPassFailure()).as("p3 is skipped: neither").containsExactly("p4");
    assertThat(report.failToPassFraction()).isEqualTo(1.0 / 3);
    assertThat(report.passToPassFraction()).isEqualTo(2.0 / 3);
  }

  @Test
  void resolutionIsFullPartialOrNo() {
    Map<String, dev.crucible.reward.parsers.TestStatus> run = Map.of("f1", PASSED, "f2", FAILED, "p1", PASSED);
    assertThat(SweBenchGrader.grade(List.of("f1"), List.of("p1"), run).resolution()).isEqualTo(ResolutionStatus.FULL);
    assertThat(SweBenchGrader.grade(List.of("f1", "f2"), List.of("p1"), run).resolution()).isEqualTo(ResolutionStatus.PARTIAL);
    assertThat(SweBenchGrader.grade(List.of("f2"), List.of("p1"), run).resolution()).isEqualTo(ResolutionStatus.NO);
    assertThat(SweBenchGrader.grade(List.of("f1"), List.of("f2"), run).resolution()).isEqualTo(ResolutionStatus.NO);
    assertThat(SweBenchGrader.grade(List.of(), List.of(), run).failToPassFraction()).isEqualTo(1.0);
  }
}
