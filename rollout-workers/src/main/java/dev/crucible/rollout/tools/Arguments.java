package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** A tool call's arguments, with typed accessors whose failures are {@link ToolFailure}s naming the argument. */
public final class Arguments {
  private final JsonNode node;

  public Arguments(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      this.node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    } else if (!node.isObject()) {
      throw new ToolFailure("arguments must be a JSON object, got " + kind(node));
    } else {
      this.node = node;
    }
  }

  public String requiredString(String name) {
    String value = optionalString(name, null);
    if (value == null) {
      throw new ToolFailure("missing required argument '" + name + "'");
    }
    return value;
  }

  public String optionalString(String name, String defaultValue) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isTextual()) {
      throw new ToolFailure("argument '" + name + "' must be a string, got " + kind(value));
    }
    return value.textValue();
  }

  public Integer optionalInt(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new ToolFailure("argument '" + name + "' must be an integer, got " + kind(value));
    }
    return value.intValue();
  }

  /** A two-element integer array such as {@code [10, 40]}, or null when absent. */
  public int[] optionalRange(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray() || value.size() != 2 || !value.get(0).isIntegralNumber() || !value.get(1).isIntegralNumber()) {
      throw new ToolFailure("argument '" + name + "' must be two integers [start, end], got " + value);
    }
    return new int[] {value.get(0).intValue(), value.get(1).intValue()};
  }

  private static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
