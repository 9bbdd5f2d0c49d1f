package dev.crucible.rollout.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a tool call written in model text with the Qwen2.5 chat template's convention:
 * {@code <tool_call>{"name": "view_file", "arguments": {"path": "a.py"}}</tool_call>}.
 */
public final class ToolCallParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String OPEN = "<tool_call>";
  private static final String CLOSE = "</tool_call>";

  private ToolCallParser() {}

  /** A call's tool and its arguments as JSON text; or, when {@code error} is set, why there is no usable call. */
  public record Parsed(String tool, String argumentsJson, String error) {}

  public static Parsed parse(String text) {
    int open = text.indexOf(OPEN);
    if (open < 0) {
      return new Parsed(null, null, "no tool call; write <tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>");
    }
    int close = text.indexOf(CLOSE, open);
    if (close < 0) {
      return new Parsed(null, null, "the <tool_call> is not closed with </tool_call>");
    }
    String body = text.substring(open + OPEN.length(), close).strip();
    JsonNode call;
    try {
      call = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return new Parsed(null, null, "the tool call is not valid JSON: " + e.getOriginalMessage());
    }
    if (call == null || !call.isObject()) {
      return new Parsed(null, null, "the tool call must be a JSON object with name and arguments");
    }
    JsonNode name = call.get("name");
    if (name == null || !name.isTextual() || name.textValue().isBlank()) {
      return new Parsed(null, null, "the tool call has no \"name\"");
    }
    JsonNode arguments = call.get("arguments");
    if (arguments == null || arguments.isNull()) {
      return new Parsed(name.textValue(), "{}", null);
    }
    // Some models write the arguments as a JSON string, as the OpenAI API does.
    return new Parsed(name.textValue(), arguments.isTextual() ? arguments.textValue() : arguments.toString(), null);
  }
}
