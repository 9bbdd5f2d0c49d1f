package dev.crucible.data.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.Prediction;

/** Predictions in the SWE-bench harness layout: {@code instance_id}, {@code model_name_or_path}, {@code model_patch}. */
public final class PredictionJson {
  private PredictionJson() {}

  /** Decodes one row. {@code model_patch} may be null or absent: that is an empty patch. */
  public static Prediction decode(JsonRow row) {
    return new Prediction(
        row.requiredString("instance_id"),
        row.optionalString("model_name_or_path"),
        row.optionalString("model_patch"));
  }

  /** Encodes one prediction. */
  public static ObjectNode encode(Prediction prediction) {
    ObjectNode node = JsonLines.MAPPER.createObjectNode();
    node.put("instance_id", prediction.instanceId());
    node.put("model_name_or_path", prediction.modelNameOrPath());
    node.put("model_patch", prediction.modelPatch());
    return node;
  }
}
