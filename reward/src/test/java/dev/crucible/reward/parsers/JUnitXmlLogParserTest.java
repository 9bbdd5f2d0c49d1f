package dev.crucible.reward.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JUnitXmlLogParserTest extends LogParserContractTest {
  @Override
  LogParser parser() {
    return new JUnitXmlLogParser();
  }

  @Override
  String capturedLog() {
    return "junit.log";
  }

  @Override
  Map<String, TestStatus> expected() {
    return ParserExpectations.JUNIT_XML;
  }

  @Test
  void readsSeveralSurefireReportsMixedWithBuildOutput() {
    String log = "[INFO] Tests run: 3\n"
        + "<?xml version=\"1.0\"?><testsuite name=\"a.BTest\"><testcase name=\"works\" classname=\"a.BTest\" time=\"0.01\"/>"
        + "<testcase name=\"breaks\" classname=\"a.BTest\"><failure message=\"x\">trace</failure></testcase></testsuite>\n"
        + "[INFO] more\n"
        + "<testsuite name=\"a.CTest\"><testcase name=\"crashes\" classname=\"a.CTest\"><error type=\"NPE\"/></testcase>"
        + "<testcase name=\"later\" classname=\"a.CTest\"><skipped/></testcase></testsuite>";
    assertThat(new JUnitXmlLogParser().parse(log))
        .isEqualTo(
            Map.of(
                "a.BTest.works", TestStatus.PASSED, "a.BTest.breaks", TestStatus.FAILED,
                "a.CTest.crashes", TestStatus.ERROR, "a.CTest.later", TestStatus.SKIPPED));
  }
}
