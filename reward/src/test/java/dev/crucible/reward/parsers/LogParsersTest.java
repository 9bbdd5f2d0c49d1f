package dev.crucible.reward.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogParsersTest {
  @Test
  void findsCrucibleParsersByTaskName() {
    assertThat(LogParsers.named("pytest")).isInstanceOf(PytestLogParser.class);
    assertThat(LogParsers.named("junit_xml")).isInstanceOf(JUnitXmlLogParser.class);
  }

  @Test
  void findsSweBenchParsersByTheirRegistryNames() {
    assertThat(LogParsers.named("parse_log_astropy").parse("PASSED a.py::t[x y]\n")).containsEntry("a.py::t[x y]", TestStatus.PASSED);
    assertThat(LogParsers.named("parse_log_flask").parse("PASSED a.py::t[x y]\n")).containsEntry("a.py::t[x", TestStatus.PASSED);
  }

  @Test
  void namesTheKnownParsersForAnUnknownOne() {
    assertThatThrownBy(() -> LogParsers.named("nose"))
        .hasMessageStartingWith("unknown log_parser 'nose'; known: pytest, unittest, junit_xml, parse_log_pytest, ")
        .hasMessageContaining("parse_log_sphinx");
  }
}
