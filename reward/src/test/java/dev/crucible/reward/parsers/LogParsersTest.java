package dev.crucible.reward.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogParsersTest {
  @Test
  void findsParsersByTaskName() {
    assertThat(LogParsers.named("pytest").create()).isInstanceOf(PytestLogParser.class);
    assertThat(LogParsers.named("junit_xml").create()).isInstanceOf(JUnitXmlLogParser.class);
  }

  @Test
  void namesTheKnownParsersForAnUnknownOne() {
    assertThatThrownBy(() -> LogParsers.named("nose"))
        .hasMessage("unknown log_parser 'nose'; known: pytest, unittest, junit_xml");
  }
}
