package dev.crucible.reward.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UnittestLogParserTest extends LogParserContractTest {
  @Override
  LogParser parser() {
    return new UnittestLogParser();
  }

  @Override
  String capturedLog() {
    return "unittest.log";
  }

  @Override
  Map<String, TestStatus> expected() {
    return ParserExpectations.UNITTEST;
  }

  @Test
  void readsAResultPrintedAfterTheTestsOwnOutput() {
    String log = "test_talks (tests.t.T.test_talks) ... hello from the test\nok\n"
        + "test_quiet (tests.t.T.test_quiet) ... \nFAIL\n";
    assertThat(new UnittestLogParser().parse(log))
        .isEqualTo(Map.of("test_talks (tests.t.T.test_talks)", TestStatus.PASSED, "test_quiet (tests.t.T.test_quiet)", TestStatus.FAILED));
  }
}
