package dev.crucible.reward.swebench;

import dev.crucible.data.io.PythonStrings;
import java.util.List;
import java.util.Map;

/**
 * JSON text byte for byte as Python's {@code json.dumps(value, indent=4)} writes it: four spaces a
 * level, {@code ": "} after keys, empty containers as {@code {}} and {@code []}, and every character
 * outside ASCII escaped ({@code ensure_ascii}).
 */
final class PythonJson {
  private PythonJson() {}

  /** {@code value}: a map (in its iteration order), list, string, boolean, integer or null. */
  static String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, 0, out);
    return out.toString();
  }

  private static void write(Object value, int level, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof String text) {
      string(text, out);
    } else if (value instanceof Map<?, ?> map) {
      container(map.entrySet(), '{', '}', level, out, (entry, next) -> {
        string((String) entry.getKey(), out);
        out.append(": ");
        write(entry.getValue(), next, out);
      });
    } else if (value instanceof List<?> list) {
      container(list, '[', ']', level, out, (item, next) -> write(item, next, out));
    } else {
      throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
    }
  }

  private interface Element<T> {
    void write(T element, int level);
  }

  private static <T> void container(Iterable<T> elements, char open, char close, int level, StringBuilder out, Element<T> element) {
    if (!elements.iterator().hasNext()) {
      out.append(open).append(close);
      return;
    }
    out.append(open);
    String separator = "\n";
    for (T item : elements) {
      out.append(separator).append("    ".repeat(level + 1));
      element.write(item, level + 1);
      separator = ",\n";
    }
    out.append('\n').append("    ".repeat(level)).append(close);
  }

  private static void string(String text, StringBuilder out) {
    PythonStrings.quote(text, true, out);
  }
}
