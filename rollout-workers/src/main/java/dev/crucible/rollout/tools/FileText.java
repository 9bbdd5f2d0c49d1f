package dev.crucible.rollout.tools;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A text file as the agent sees it: numbered lines, ranges, and an outline of its definitions. */
final class FileText {
  /** Definitions in Python, and the common forms in Java, JavaScript and Go. */
  private static final Pattern DEFINITION =
      Pattern.compile(
          "^\\s*(?:(?:async\\s+)?def\\s+\\w+|class\\s+\\w+|(?:public|private|protected|static|final|abstract|\\s)*"
              + "(?:class|interface|enum|record)\\s+\\w+|function\\s+\\w+|func\\s+[\\w().* ]+)");

  private final List<String> lines;

  private FileText(List<String> lines) {
    this.lines = lines;
  }

  /**
   * Decodes {@code content}.
   *
   * @throws ToolFailure for binary content, which the agent cannot read as text
   */
  static FileText of(String path, byte[] content) {
    for (byte b : content) {
      if (b == 0) {
        throw new ToolFailure("'" + path + "' is a binary file (" + content.length + " bytes); it cannot be shown");
      }
    }
    String text = new String(content, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (text.endsWith("\n")) {
      lines.remove(lines.size() - 1);
    }
    return new FileText(lines);
  }

  int lineCount() {
    return lines.size();
  }

  /** Lines {@code first..last} (1-based, inclusive), each prefixed by its number. */
  String numbered(int first, int last) {
    StringBuilder text = new StringBuilder();
    for (int number = first; number <= last; number++) {
      text.append(String.format(Locale.ROOT, "%6d\t", number)).append(lines.get(number - 1)).append('\n');
    }
    return text.toString();
  }

  /** Each definition line with its number; empty when there are none. */
  String outline() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      Matcher matcher = DEFINITION.matcher(lines.get(i));
      if (matcher.find()) {
        text.append(String.format(Locale.ROOT, "%6d\t", i + 1)).append(lines.get(i).stripTrailing()).append('\n');
      }
    }
    return text.toString();
  }
}
