package dev.crucible.data.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.io.FieldValueException;
import java.util.List;

/** One JSON object read from a line, with typed accessors whose errors name the field. */
public final class JsonRow {
  private final ObjectNode node;

  JsonRow(ObjectNode node) {
    this.node = node;
  }

  /**
   * A string that must be present and non-null.
   *
   * @throws FieldValueException when it is missing, null or not a string
   */
  public String requiredString(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new FieldValueException(field, "missing required field");
    }
    return text(field, value);
  }

  /** The field's value as it is, or {@code null} when absent or null. */
  public JsonNode value(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** A string, or {@code null} when the field is absent or null. */
  public String optionalString(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : text(field, value);
  }

  /**
   * A list of test ids, given either as a JSON array of strings or, as SWE-bench publishes it, as a
   * string holding such an array.
   *
   * @throws FieldValueException when it is missing or neither form
   */
  public List<String> testIds(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new FieldValueException(field, "missing required field");
    }
    return TestIdLists.fromNode(field, value);
  }

  private static String text(String field, JsonNode value) {
    if (!value.isTextual()) {
      throw new FieldValueException(field, "expected a string, got " + TestIdLists.describe(value));
    }
    return value.textValue();
  }
}
