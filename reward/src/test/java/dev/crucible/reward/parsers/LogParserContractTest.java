package dev.crucible.reward.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every parser must do; one subclass per parser, fed a log captured from a real run. */
abstract class LogParserContractTest {
  abstract LogParser parser();

  /** Name of the captured log under {@code logs/}. */
  abstract String capturedLog();

  abstract Map<String, TestStatus> expected();

  @Test
  void readsEveryTestOfARealRun() throws IOException {
    assertThat(parser().parse(log(capturedLog()))).isEqualTo(expected());
  }

  @Test
  void findsNothingInUnrelatedOutput() {
    assertThat(parser().parse("Collecting...\nno tests ran in 0.01s\nTraceback (most recent call last):\n")).isEmpty();
    assertThat(parser().parse("")).isEmpty();
  }

  @Test
  void ignoresNoiseAroundTheResults() throws IOException {
    String noisy = "noise before\n\u0000binary\uFFFD\n" + log(capturedLog()) + "\nnoise after\n";
    assertThat(parser().parse(noisy)).isEqualTo(expected());
  }

  static String log(String name) throws IOException {
    try (InputStream in = LogParserContractTest.class.getResourceAsStream("/logs/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
