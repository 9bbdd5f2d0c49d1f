package dev.crucible.data.io;

/** Strings quoted as Python's {@code json.dumps} quotes them, for JSON text other tools compare byte for byte. */
public final class PythonStrings {
  private PythonStrings() {}

  /**
   * Appends {@code text} in double quotes: quotes, backslashes and control characters escaped, and with
   * {@code ensureAscii} every character outside printable ASCII as {@code \\uXXXX} (json.dumps' default).
   */
  public static void quote(String text, boolean ensureAscii, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || (ensureAscii && c > 0x7e)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
