package dev.crucible.data.swebench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweBenchPredictionsTest {
  @TempDir java.nio.file.Path temp;
  private final Configuration conf = new Configuration();

  @Test
  void readsHarnessPredictionsWithNullPatchAsEmpty() throws IOException {
    Path file =
        write(
            "{\"instance_id\": \"a\", \"model_name_or_path\": \"m\", \"model_patch\": \"diff\"}",
            "",
            "{\"instance_id\": \"b\", \"model_name_or_path\": \"m\", \"model_patch\": null}");
    List<Prediction> predictions = SweBenchPredictions.read(file, conf);
    assertThat(predictions)
        .containsExactly(new Prediction("a", "m", "diff"), new Prediction("b", "m", ""));
    assertThat(predictions.get(1).isEmptyPatch()).isTrue();
  }

  @Test
  void roundTrips() {
    Path file = new Path(temp.resolve("preds.jsonl").toUri());
    List<Prediction> predictions = List.of(new Prediction("a", "m", "x"), new Prediction("b", "m", ""));
    SweBenchPredictions.write(file, conf, predictions);
    assertThat(SweBenchPredictions.read(file, conf)).isEqualTo(predictions);
  }

  @Test
  void namesAMissingInstanceIdAndKeepsRepeatsOfWhichTheLastCounts() throws IOException {
    Path bad = write("{\"instance_id\": \"a\", \"model_patch\": \"x\"}", "{\"model_patch\": \"y\"}");
    assertThatThrownBy(() -> SweBenchPredictions.read(bad, conf)).hasMessage(bad + ":2: field 'instance_id': missing required field");

    Path repeated =
        write(
            "{\"instance_id\": \"a\", \"model_patch\": \"x\"}",
            "{\"instance_id\": \"b\", \"model_patch\": \"y\"}",
            "{\"instance_id\": \"a\", \"model_patch\": \"z\"}");
    List<Prediction> read = SweBenchPredictions.read(repeated, conf);
    assertThat(read).hasSize(3);
    assertThat(SweBenchPredictions.lastByInstance(read).values())
        .as("as SWE-bench keys them: the first instance first, with its last prediction")
        .containsExactly(new Prediction("a", "", "z"), new Prediction("b", "", "y"));
  }

  @Test
  void readsAJsonListOrAnObjectOfPredictions() throws IOException {
    java.nio.file.Path list = temp.resolve("list.json");
    Files.writeString(list, "[\n  {\"instance_id\": \"a\", \"model_name_or_path\": \"m\", \"model_patch\": \"d\"},\n  {\"instance_id\": \"b\"}\n]\n");
    assertThat(SweBenchPredictions.read(new Path(list.toUri()), conf))
        .containsExactly(new Prediction("a", "m", "d"), new Prediction("b", "", ""));
    java.nio.file.Path object = temp.resolve("swe-agent.json");
    Files.writeString(object, "{\"a\": {\"instance_id\": \"a\", \"model_patch\": \"d\"},\n \"b\": {\"instance_id\": \"b\", \"model_patch\": null}}");
    assertThat(SweBenchPredictions.read(new Path(object.toUri()), conf))
        .containsExactly(new Prediction("a", "", "d"), new Prediction("b", "", ""));
  }

  @Test
  void namesTheLineOfABadRowInAJsonFile() throws IOException {
    java.nio.file.Path file = temp.resolve("bad.json");
    Files.writeString(file, "[\n  {\"instance_id\": \"a\"},\n  \"text\",\n  {\"model_patch\": \"x\"}\n]\n");
    Path path = new Path(file.toUri());
    assertThatThrownBy(() -> SweBenchPredictions.read(path, conf))
        .hasMessage(path + ":3: expected a JSON object, got string\n" + path + ":4: field 'instance_id': missing required field");
    Files.writeString(file, "[{\"instance_id\": \"a\"},\n");
    assertThatThrownBy(() -> SweBenchPredictions.read(path, conf)).hasMessageStartingWith(path + ":2: malformed JSON");
    Files.writeString(file, "42");
    assertThatThrownBy(() -> SweBenchPredictions.read(path, conf))
        .hasMessage(path + ":1: expected a JSON list of rows or an object of rows");
  }

  @Test
  void refusesParquetPredictions() {
    Path file = new Path(temp.resolve("preds.parquet").toUri());
    assertThatThrownBy(() -> SweBenchPredictions.read(file, conf))
        .hasMessage(file + ": predictions must be a .jsonl or .json file, as the SWE-bench harness takes them");
  }

  private Path write(String... lines) throws IOException {
    java.nio.file.Path file = temp.resolve("preds.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return new Path(file.toUri());
  }

  @Test
  void refusesIdsThatWouldBecomePathsOutsideTheRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("hostile.jsonl");
    java.nio.file.Files.writeString(
        file,
        "{\"instance_id\": \"ok-1\", \"model_name_or_path\": \"..\", \"model_patch\": \"\"}\n"
            + "{\"instance_id\": \"../../etc\", \"model_name_or_path\": \"m\", \"model_patch\": \"\"}\n"
            + "{\"instance_id\": \"a\\u0000b\", \"model_name_or_path\": \"m\", \"model_patch\": \"\"}\n"
            + "{\"instance_id\": \"" + "x".repeat(300) + "\", \"model_name_or_path\": \"m\", \"model_patch\": \"\"}\n"
            + "{\"instance_id\": \".hidden\", \"model_name_or_path\": \"org/model\", \"model_patch\": \"\"}\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SweBenchPredictions.read(new org.apache.hadoop.fs.Path(file.toString()), new org.apache.hadoop.conf.Configuration()))
        .isInstanceOfSatisfying(
            dev.crucible.data.InvalidInputException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.problems())
                .extracting(Object::toString)
                .containsExactly(
                    file + ":1: field 'model_name_or_path': '..' must not be '.', '..' or hold '/' or '\\'",
                    file + ":2: field 'instance_id': '../../etc' must not be '.', '..' or hold '/' or '\\'",
                    file + ":3: field 'instance_id': 'a?b' must not hold control characters",
                    file + ":4: field 'instance_id': '" + "x".repeat(60) + "…' has 300 characters; the limit is 200",
                    file + ":5: field 'instance_id': '.hidden' must not start with '.' or '_' (such files are hidden from the readers)"));
  }

  @Test
  void aLineLongerThanTheLimitIsAProblemNotAnOutOfMemory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("huge.jsonl");
    try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(file)) {
      out.write("{\"instance_id\": \"a-1\", \"model_name_or_path\": \"m\", \"model_patch\": \"");
      char[] chunk = new char[1 << 20];
      java.util.Arrays.fill(chunk, 'x');
      for (int i = 0; i < 65; i++) {
        out.write(chunk);
      }
      out.write("\"}\n{\"instance_id\": \"a-2\", \"model_name_or_path\": \"m\", \"model_patch\": \"\"}\n");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SweBenchPredictions.read(new org.apache.hadoop.fs.Path(file.toString()), new org.apache.hadoop.conf.Configuration()))
        .isInstanceOfSatisfying(
            dev.crucible.data.InvalidInputException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.problems())
                .extracting(Object::toString)
                .containsExactly(file + ":1: the line is longer than 67108864 characters"));
  }
}
