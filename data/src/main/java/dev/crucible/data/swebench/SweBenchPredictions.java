package dev.crucible.data.swebench;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Prediction;
import dev.crucible.data.json.JsonDocument;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.PredictionJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Predictions files as the SWE-bench harness takes them: JSONL with one prediction per line, or a
 * {@code .json} file holding a list of predictions or an object of them (as SWE-agent writes).
 */
public final class SweBenchPredictions {
  private SweBenchPredictions() {}

  /**
   * Reads every prediction in {@code path}, in file order, repeats included: as in SWE-bench, the
   * last prediction for an instance is the one evaluated ({@link #lastByInstance}).
   *
   * @throws InvalidInputException listing every malformed line or row and bad field
   */
  public static List<Prediction> read(Path path, Configuration conf) {
    return switch (Format.of(path)) {
      case JSONL -> JsonLines.read(path, conf, PredictionJson::decode, null, null);
      case JSON -> JsonDocument.read(path, conf, PredictionJson::decode, JsonDocument.Shape.LIST_OR_OBJECT, null, null);
      case PARQUET -> throw notPredictions(path);
    };
  }

  /** The last prediction for each instance, in the order instances first appear, as SWE-bench keys them. */
  public static Map<String, Prediction> lastByInstance(List<Prediction> predictions) {
    Map<String, Prediction> byInstance = new LinkedHashMap<>();
    predictions.forEach(prediction -> byInstance.put(prediction.instanceId(), prediction));
    return byInstance;
  }

  /** Writes {@code predictions} to {@code path} atomically, as JSONL. */
  public static void write(Path path, Configuration conf, List<Prediction> predictions) {
    if (Format.of(path) != Format.JSONL) {
      throw notPredictions(path);
    }
    JsonLines.write(path, conf, predictions, PredictionJson::encode);
  }

  private static InvalidInputException notPredictions(Path path) {
    return new InvalidInputException(
        new InputProblem(path.toString(), 0, null, "predictions must be a .jsonl or .json file, as the SWE-bench harness takes them"));
  }
}
