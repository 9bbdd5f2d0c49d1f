package dev.crucible.reward.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.reward.parsers.TestStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunEvidenceTest {
  private static final List<String> F2P = List.of("tests/test_calc.py::test_add");
  private static final List<String> P2P = List.of("tests/test_calc.py::TestSub::test_sub[1-2]");
  private static final Map<String, TestStatus> ALL_PASS =
      Map.of("tests/test_calc.py::test_add", TestStatus.PASSED, "tests/test_calc.py::TestSub::test_sub[1-2]", TestStatus.PASSED);
  private static final Map<String, TestStatus> REPORT_ALL_PASS =
      Map.of("tests.test_calc.test_add", TestStatus.PASSED, "tests.test_calc.TestSub.test_sub[1-2]", TestStatus.PASSED);

  @Test
  void mapsNodeIdsToTheIdsOfPytestsJunitReport() {
    assertThat(RunEvidence.junitId("tests/test_calc.py::test_add")).isEqualTo("tests.test_calc.test_add");
    assertThat(RunEvidence.junitId("tests/test_calc.py::TestSub::test_sub[a/b.py-2]"))
        .isEqualTo("tests.test_calc.TestSub.test_sub[a/b.py-2]");
    assertThat(RunEvidence.junitId("test_top.py::test_x")).isEqualTo("test_top.test_x");
  }

  @Test
  void acceptsAnHonestPassingRun() {
    assertThat(RunEvidence.refusal(new RunEvidence.Run(0, ALL_PASS, true, REPORT_ALL_PASS), F2P, P2P)).isEmpty();
  }

  @Test
  void acceptsAnHonestFailingRun() {
    Map<String, TestStatus> log = Map.of("tests/test_calc.py::test_add", TestStatus.FAILED);
    Map<String, TestStatus> report = Map.of("tests.test_calc.test_add", TestStatus.FAILED);
    assertThat(RunEvidence.refusal(new RunEvidence.Run(1, log, true, report), F2P, P2P)).isEmpty();
  }

  @Test
  void refusesALogWithNoResults() {
    assertThat(RunEvidence.refusal(new RunEvidence.Run(0, Map.of(), true, null), F2P, P2P))
        .hasValue("the test log shows no test results (exit 0): the suite did not run");
  }

  @Test
  void refusesAFailedCommandWhoseLogShowsNoFailure() {
    assertThat(RunEvidence.refusal(new RunEvidence.Run(2, ALL_PASS, false, null), F2P, P2P))
        .hasValue("the test command failed (exit 2) but its log shows no failure");
  }

  @Test
  void refusesPytestExitingZeroWithFailuresInItsLog() {
    Map<String, TestStatus> log = Map.of("tests/test_calc.py::test_add", TestStatus.ERROR);
    assertThat(RunEvidence.refusal(new RunEvidence.Run(0, log, true, Map.of()), F2P, P2P))
        .hasValue("pytest exited 0 but its log shows failures");
  }

  @Test
  void refusesPrintedPassesWithoutPytestsReport() {
    assertThat(RunEvidence.refusal(new RunEvidence.Run(0, ALL_PASS, true, null), F2P, P2P))
        .hasValue("pytest wrote no JUnit report: the run ended before pytest finished");
  }

  @Test
  void refusesALogThatDisagreesWithTheReport() {
    Map<String, TestStatus> report =
        Map.of("tests.test_calc.test_add", TestStatus.FAILED, "tests.test_calc.TestSub.test_sub[1-2]", TestStatus.PASSED);
    assertThat(RunEvidence.refusal(new RunEvidence.Run(0, ALL_PASS, true, report), F2P, P2P))
        .hasValue("the log says tests/test_calc.py::test_add passed but pytest's report says FAILED");
    assertThat(RunEvidence.refusal(new RunEvidence.Run(0, ALL_PASS, true, Map.of()), F2P, P2P))
        .hasValue("the log says tests/test_calc.py::test_add passed but pytest's report says nothing of it");
  }

  @Test
  void otherRunnersNeedNoReport() {
    assertThat(RunEvidence.refusal(new RunEvidence.Run(0, ALL_PASS, false, null), F2P, P2P)).isEmpty();
  }
}
