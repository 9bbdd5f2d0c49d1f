package dev.crucible.reward.swebench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.Prediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each golden run (a dataset, predictions and the instance folders a run left, under
 * {@code src/test/resources/swebench-golden-runs/}) summarized as SWE-bench 5.0.2's
 * {@code make_run_report} summarized it: the same file name and the same text byte for byte
 * ({@code scripts/swebench-golden} regenerates the expected files).
 */
class RunSummaryParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> runs() throws IOException, URISyntaxException {
    Path root = Path.of(RunSummaryParityTest.class.getResource("/swebench-golden-runs").toURI());
    try (Stream<Path> listing = Files.list(root)) {
      List<Path> runs = listing.filter(Files::isDirectory).sorted().toList();
      assertThat(runs).isNotEmpty();
      return runs.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void summarizesAsTheOfficialHarness(Path run) throws IOException {
    List<String> datasetIds = new ArrayList<>();
    JSON.readTree(run.resolve("dataset.json").toFile()).forEach(row -> datasetIds.add(row.get("instance_id").asText()));
    Map<String, Prediction> predictions = new LinkedHashMap<>();
    JSON.readTree(run.resolve("predictions.json").toFile()).fields().forEachRemaining(entry -> {
      JsonNode row = entry.getValue();
      predictions.put(entry.getKey(),
          new Prediction(row.get("instance_id").asText(), row.get("model_name_or_path").asText(), row.get("model_patch").asText()));
    });
    String runId = JSON.readTree(run.resolve("run.json").toFile()).get("run_id").asText();
    Path logs = run.resolve("logs/run_evaluation").resolve(runId);

    RunSummary summary = RunSummary.of(datasetIds, predictions, (folder, id, file) -> read(logs.resolve(folder).resolve(id).resolve(file)));

    String model = predictions.values().iterator().next().modelNameOrPath();
    Path expected = run.resolve(RunSummary.fileName(model, runId));
    assertThat(expected).as("the official summary under the name Crucible gives it").exists();
    assertThat(summary.toJson()).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
  }

  private static Optional<String> read(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
