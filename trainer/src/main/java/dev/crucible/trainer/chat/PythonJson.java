package dev.crucible.trainer.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.data.io.PythonStrings;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Python's {@code json.dumps(value, ensure_ascii=False)} writes it: {@code ", "} between
 * items, {@code ": "} after keys, keys in their given order, non-ASCII text as it is. This is what the
 * {@code tojson} filter of Hugging Face chat templates produces, so tool signatures and call arguments
 * rendered here read exactly as Qwen2.5's template (and a server running {@code tokenizer_config.json}'s
 * template) renders them. Numbers keep the text they were parsed from.
 */
public final class PythonJson {
  private PythonJson() {}

  public static String dumps(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        quote(field.getKey(), out);
        out.append(": ");
        write(field.getValue(), out);
        if (fields.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else {
      out.append(node); // numbers, true, false, null read the same in both
    }
  }

  private static void quote(String text, StringBuilder out) {
    PythonStrings.quote(text, false, out);
  }
}
