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
  void namesMissingInstanceIdAndDuplicates() throws IOException {
    Path file =
        write(
            "{\"instance_id\": \"a\", \"model_patch\": \"x\"}",
            "{\"model_patch\": \"y\"}",
            "{\"instance_id\": \"a\", \"model_patch\": \"z\"}");
    assertThatThrownBy(() -> SweBenchPredictions.read(file, conf))
        .hasMessage(
            file + ":2: field 'instance_id': missing required field\n"
                + file + ":3: field 'instance_id': duplicate 'a', first seen on line 1");
  }

  @Test
  void refusesParquetPredictions() {
    Path file = new Path(temp.resolve("preds.parquet").toUri());
    assertThatThrownBy(() -> SweBenchPredictions.read(file, conf))
        .hasMessage(file + ": predictions must be a .jsonl file, as the SWE-bench harness takes them");
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
