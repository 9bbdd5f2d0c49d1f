package dev.crucible.data.swebench;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Prediction;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.PredictionJson;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Predictions files as the SWE-bench harness takes them: JSONL with one prediction per line. */
public final class SweBenchPredictions {
  private SweBenchPredictions() {}

  /**
   * Reads every prediction in {@code path}.
   *
   * @throws InvalidInputException listing every malformed line, bad field and repeated
   *     {@code instance_id}
   */
  public static List<Prediction> read(Path path, Configuration conf) {
    requireJsonl(path);
    return JsonLines.read(
        path, conf, PredictionJson::decode, "instance_id", Prediction::instanceId);
  }

  /** Writes {@code predictions} to {@code path} atomically. */
  public static void write(Path path, Configuration conf, List<Prediction> predictions) {
    requireJsonl(path);
    JsonLines.write(path, conf, predictions, PredictionJson::encode);
  }

  private static void requireJsonl(Path path) {
    if (Format.of(path) != Format.JSONL) {
      throw new InvalidInputException(
          new InputProblem(
              path.toString(),
              0,
              null,
              "predictions must be a .jsonl file, as the SWE-bench harness takes them"));
    }
  }
}
