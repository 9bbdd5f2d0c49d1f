package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code view_file}: a file with line numbers, a range of it, or, for a large file, its start and an
 * outline of its classes and functions.
 */
public final class ViewFileTool implements Tool {
  /** Files longer than this are shown truncated, with their outline, unless a range is asked for. */
  static final int MAX_LINES = 300;

  private static final ObjectNode PARAMETERS =
      Schemas.parse(
          """
          {"type": "object",
           "properties": {
             "path": {"type": "string", "description": "File path relative to the repository root."},
             "view_range": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2,
                            "description": "Optional [start, end] line numbers, 1-based and inclusive; end -1 means the last line."}
           },
           "required": ["path"]}
          """);

  @Override
  public String name() {
    return "view_file";
  }

  @Override
  public String description() {
    return "Show a file with line numbers. Files over " + MAX_LINES + " lines are truncated and followed by an"
        + " outline of their classes and functions; use view_range to see any part.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public String call(Arguments arguments, ToolContext context) {
    String path = arguments.requiredString("path");
    return show(path, arguments.optionalRange("view_range"), context);
  }

  /** Shared with {@code str_replace_editor view}. */
  static String show(String path, int[] range, ToolContext context) {
    FileText file = FileText.of(path, context.sandbox().readFile(path));
    int count = file.lineCount();
    if (count == 0) {
      return "File " + path + " is empty.";
    }
    if (range != null) {
      int first = range[0];
      int last = range[1] == -1 ? count : range[1];
      if (first < 1 || first > count || last < first || last > count) {
        throw new ToolFailure(
            "view_range [" + range[0] + ", " + range[1] + "] is outside the file, which has " + count + " lines");
      }
      return "File " + path + ", lines " + first + "-" + last + " of " + count + ":\n" + file.numbered(first, last);
    }
    if (count <= MAX_LINES) {
      return "File " + path + " (" + count + " lines):\n" + file.numbered(1, count);
    }
    String outline = file.outline();
    return "File " + path + " has " + count + " lines; showing 1-" + MAX_LINES + ". Use view_range for the rest.\n"
        + file.numbered(1, MAX_LINES)
        + (outline.isEmpty() ? "" : "\nOutline of " + path + ":\n" + outline);
  }
}
