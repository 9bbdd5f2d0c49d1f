package dev.crucible.rollout.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Parses the JSON-schema text each tool declares its arguments with. */
final class Schemas {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Schemas() {}

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tool's schema is not valid JSON: " + json, e);
    }
  }
}
