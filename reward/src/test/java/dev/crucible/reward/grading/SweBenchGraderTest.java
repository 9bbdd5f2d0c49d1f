package dev.crucible.reward.grading;

import static dev.crucible.reward.parsers.TestStatus.ERROR;
import static dev.crucible.reward.parsers.TestStatus.FAILED;
import static dev.crucible.reward.parsers.TestStatus.PASSED;
import static dev.crucible.reward.parsers.TestStatus.SKIPPED;
import static dev.crucible.reward.parsers.TestStatus.UNRECOGNIZED;
import static dev.crucible.reward.parsers.TestStatus.XFAIL;
import static dev.crucible.reward.parsers.TestStatus.XPASS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.EvalType;
import dev.crucible.reward.parsers.TestStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweBenchGraderTest {

  @Test
  void sortsEachTestAsSweBenchDoes() {
    TestsReport report =
        SweBenchGrader.grade(
            List.of("f1", "f2", "f3", "f4", "f5", "f6"),
            List.of("p1", "p2", "p3", "p4", "p5"),
            Map.of("f1", PASSED, "f2", FAILED, "f4", SKIPPED, "f5", XPASS, "f6", UNRECOGNIZED,
                "p1", PASSED, "p2", XFAIL, "p3", SKIPPED, "p4", ERROR));
    assertThat(report.failToPassSuccess()).containsExactly("f1");
    assertThat(report.failToPassFailure())
        .as("f3 is missing, f4 skipped, f5 an XPASS (missing in SWE-bench's parsers); f6's status is in neither")
        .containsExactly("f2", "f3", "f4", "f5");
    assertThat(report.passToPassSuccess()).as("a skipped PASS_TO_PASS test is no regression").containsExactly("p1", "p2", "p3");
    assertThat(report.passToPassFailure()).containsExactly("p4", "p5");
    assertThat(report.failToPassFraction()).isEqualTo(1.0 / 5);
    assertThat(report.passToPassFraction()).isEqualTo(3.0 / 5);
  }

  @Test
  void skippingEveryTargetTestResolvesNothing() {
    TestsReport report = SweBenchGrader.grade(List.of("f1"), List.of("p1"), Map.of("f1", SKIPPED, "p1", PASSED));
    assertThat(report.resolution()).isEqualTo(ResolutionStatus.NO);
  }

  @Test
  void aParametrizedIdCutShortMatchesTheIdsItBeginsWhenTheyAgree() {
    Map<String, TestStatus> log = new LinkedHashMap<>();
    log.put("t.py::test_grammar[log(photon)]", PASSED);
    log.put("t.py::test_grammar[log(photon/s)]", XFAIL);
    log.put("t.py::test_mixed[a b]", PASSED);
    log.put("t.py::test_mixed[a c]", FAILED);
    log.put("t.py::test_skip[x y]", SKIPPED);
    log.put("t.py::test_skip[x z]", FAILED);
    TestsReport report =
        SweBenchGrader.grade(
            List.of("t.py::test_grammar[log(photon", "t.py::test_mixed[a", "t.py::test_gram"),
            List.of("t.py::test_skip[x", "t.py::test_mixed[a"),
            log);
    assertThat(report.failToPassSuccess()).containsExactly("t.py::test_grammar[log(photon");
    assertThat(report.failToPassFailure())
        .as("candidates that disagree match nothing; an id with balanced brackets matches exactly only")
        .containsExactly("t.py::test_mixed[a", "t.py::test_gram");
    assertThat(report.passToPassSuccess()).as("both fail to pass, so the first, a skip, is taken").containsExactly("t.py::test_skip[x");
    assertThat(report.passToPassFailure()).containsExactly("t.py::test_mixed[a");
  }

  @Test
  void failOnlyFailsATestOnlyWhenTheLogSaysItFailed() {
    TestsReport report =
        SweBenchGrader.grade(
            List.of("f1", "f2", "f3"), List.of("p1", "p2"), Map.of("f1", FAILED, "f2", ERROR, "p1", SKIPPED), EvalType.FAIL_ONLY);
    assertThat(report.failToPassSuccess()).as("an error and a missing test are successes under fail_only").containsExactly("f2", "f3");
    assertThat(report.failToPassFailure()).containsExactly("f1");
    assertThat(report.passToPassSuccess()).containsExactly("p1", "p2");
  }

  @Test
  void resolutionIsFullPartialOrNo() {
    Map<String, TestStatus> run = Map.of("f1", PASSED, "f2", FAILED, "p1", PASSED);
    assertThat(SweBenchGrader.grade(List.of("f1"), List.of("p1"), run).resolution()).isEqualTo(ResolutionStatus.FULL);
    assertThat(SweBenchGrader.grade(List.of("f1", "f2"), List.of("p1"), run).resolution()).isEqualTo(ResolutionStatus.PARTIAL);
    assertThat(SweBenchGrader.grade(List.of("f2"), List.of("p1"), run).resolution()).isEqualTo(ResolutionStatus.NO);
    assertThat(SweBenchGrader.grade(List.of("f1"), List.of("f2"), run).resolution()).isEqualTo(ResolutionStatus.NO);
    assertThat(SweBenchGrader.grade(List.of(), List.of(), run).failToPassFraction()).isEqualTo(1.0);
  }
}
