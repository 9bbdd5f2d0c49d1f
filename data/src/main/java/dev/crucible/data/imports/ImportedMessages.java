package dev.crucible.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.data.Turn;
import java.util.List;

/** What every imported format makes of a chat message: its text, and a turn without token ids. */
final class ImportedMessages {
  private ImportedMessages() {}

  /** A message's text: a string, or the text blocks of a list of content blocks, joined; empty when absent. */
  static String text(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return "";
    }
    if (content.isArray()) {
      StringBuilder joined = new StringBuilder();
      for (JsonNode block : content) {
        if (block.path("type").asText("text").equals("text")) {
          joined.append(block.path("text").asText(""));
        }
      }
      return joined.toString();
    }
    return content.asText();
  }

  /** A turn as another agent recorded it: text only, no token ids, log-probs or timings. */
  static Turn turn(int index, String role, String content, String tool, String arguments, String observation) {
    return new Turn(index, role, null, content, tool, arguments, observation, List.of(), List.of(), 0, 0, 0);
  }
}
