package dev.crucible.reward.swebench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.EvalType;
import dev.crucible.reward.parsers.LogParser;
import dev.crucible.reward.parsers.PythonText;
import dev.crucible.reward.parsers.SweBenchLogParsers;
import dev.crucible.reward.parsers.TestStatus;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each golden case (an instance row and an eval script's output, under
 * {@code src/test/resources/swebench-golden/}) graded here as SWE-bench 5.0.2's own code graded it:
 * the same statuses in the same order from its parser, and a {@code report.json} equal byte for byte.
 * The expected files were written by that code ({@code scripts/swebench-golden} regenerates them).
 */
class OfficialGradingParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> cases() throws IOException, URISyntaxException {
    Path root = Path.of(OfficialGradingParityTest.class.getResource("/swebench-golden").toURI());
    List<Path> cases;
    try (Stream<Path> listing = Files.list(root)) {
      cases = listing.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(cases).as("golden cases").hasSizeGreaterThanOrEqualTo(20);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesAsTheOfficialParser(Path golden) throws IOException {
    JsonNode instance = JSON.readTree(golden.resolve("instance.json").toFile());
    String log = Files.readString(golden.resolve("test_output.txt"), StandardCharsets.UTF_8);
    List<Map.Entry<String, TestStatus>> expected = new ArrayList<>();
    for (JsonNode pair : JSON.readTree(golden.resolve("parsed.json").toFile())) {
      expected.add(Map.entry(pair.get(0).asText(), TestStatus.ofSweBenchWord(pair.get(1).asText())));
    }
    LogParser parser = parser(instance);
    // The parsers see a log as Python reads the file: with universal newlines.
    assertThat(new ArrayList<>(parser.parse(PythonText.universalNewlines(log)).entrySet())).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheOfficialReport(Path golden) throws IOException {
    JsonNode instance = JSON.readTree(golden.resolve("instance.json").toFile());
    String log = Files.readString(golden.resolve("test_output.txt"), StandardCharsets.UTF_8);
    InstanceReport.Row row =
        new InstanceReport.Row(
            instance.get("instance_id").asText(),
            strings(instance.get("FAIL_TO_PASS")),
            strings(instance.get("PASS_TO_PASS")),
            parser(instance),
            EvalType.ofRowValue(instance.path("eval_type").asText("")));
    JsonNode patch = instance.get("model_patch");
    InstanceReport report = InstanceReport.grade(row, patch.isNull() ? null : patch.asText(), log);
    assertThat(report.toJson()).isEqualTo(Files.readString(golden.resolve("report.json"), StandardCharsets.UTF_8));
  }

  /** The row's parser, for its id and its version when it gives one. */
  private static LogParser parser(JsonNode instance) {
    String name = instance.get("log_parser").asText();
    String version = instance.hasNonNull("version") ? instance.get("version").asText() : null;
    return SweBenchLogParsers.named(name, instance.get("instance_id").asText(), version).orElseThrow(() -> new AssertionError("no parser " + name));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
