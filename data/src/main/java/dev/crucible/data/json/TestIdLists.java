package dev.crucible.data.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.data.io.FieldValueException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lists of test ids ({@code FAIL_TO_PASS}, {@code PASS_TO_PASS}) in the forms datasets use: a JSON
 * array of strings, or a string holding one, as SWE-bench publishes them.
 */
public final class TestIdLists {
  private TestIdLists() {}

  /** The JSON text SWE-bench stores in its string columns. */
  public static String toJsonText(List<String> ids) {
    try {
      return JsonLines.MAPPER.writeValueAsString(ids);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses JSON text holding an array of strings.
   *
   * @throws FieldValueException naming {@code field} when the text is not such an array
   */
  public static List<String> fromJsonText(String field, String text) {
    try {
      return fromArray(field, JsonLines.MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      throw new FieldValueException(
          field, "expected a JSON array of test ids inside the string, but it is not valid JSON");
    }
  }

  /** Accepts either form. */
  static List<String> fromNode(String field, JsonNode value) {
    return value.isTextual() ? fromJsonText(field, value.textValue()) : fromArray(field, value);
  }

  private static List<String> fromArray(String field, JsonNode value) {
    if (!value.isArray()) {
      throw new FieldValueException(
          field, "expected a JSON array of strings or a string holding one, got " + describe(value));
    }
    List<String> ids = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      if (!element.isTextual()) {
        throw new FieldValueException(
            field, "element " + i + " should be a test id string, got " + describe(element));
      }
      ids.add(element.textValue());
    }
    return ids;
  }

  static String describe(JsonNode value) {
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
