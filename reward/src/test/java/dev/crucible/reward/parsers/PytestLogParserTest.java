package dev.crucible.reward.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PytestLogParserTest extends LogParserContractTest {
  @Override
  LogParser parser() {
    return new PytestLogParser();
  }

  @Override
  String capturedLog() {
    return "pytest.log";
  }

  @Override
  Map<String, TestStatus> expected() {
    return ParserExpectations.PYTEST;
  }

  @Test
  void readsVerboseLinesAndKeepsTheWorstOfTwoReports() {
    String log = "tests/a.py::test_x PASSED                [ 50%]\n"
        + "tests/a.py::test_y PASSED                 [100%]\n"
        + "ERROR tests/a.py::test_y - teardown failed\n";
    assertThat(new PytestLogParser().parse(log))
        .isEqualTo(Map.of("tests/a.py::test_x", TestStatus.PASSED, "tests/a.py::test_y", TestStatus.ERROR));
  }
}
