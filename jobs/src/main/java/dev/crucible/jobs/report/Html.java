package dev.crucible.jobs.report;

/** Text made safe for HTML and SVG: markup escaped, and control characters (which a model's text may hold) shown as U+FFFD. */
final class Html {
  private Html() {}

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f ? '\uFFFD' : c);
      }
    }
    return escaped.toString();
  }
}
