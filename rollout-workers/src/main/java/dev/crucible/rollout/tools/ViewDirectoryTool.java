package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.ShellQuote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code view_directory}: the tree under a directory, as deep as fits: depth 1, then deeper while the
 * listing stays under {@link #MAX_ENTRIES} entries (at most {@link #MAX_DEPTH} levels). {@code .git} is
 * left out.
 */
public final class ViewDirectoryTool implements Tool {
  static final int MAX_ENTRIES = 150;
  static final int MAX_DEPTH = 6;

  private static final ObjectNode PARAMETERS =
      Schemas.parse(
          """
          {"type": "object",
           "properties": {
             "path": {"type": "string", "description": "Directory relative to the repository root; default the root."}
           }}
          """);

  @Override
  public String name() {
    return "view_directory";
  }

  @Override
  public String description() {
    return "List files and directories under a directory, going deeper while the listing stays short"
        + " (at most " + MAX_ENTRIES + " entries).";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  private record Entry(int depth, boolean directory, String path) {}

  @Override
  public String call(Arguments arguments, ToolContext context) {
    String path = arguments.optionalString("path", ".");
    String absolute = context.sandbox().resolvePath(path, true);
    ExecResult listing =
        context.sandbox().exec(
            "find " + ShellQuote.quote(absolute) + " -mindepth 1 -maxdepth " + MAX_DEPTH
                + " -name .git -prune -o -printf '%d\\t%y\\t%P\\n'",
            Duration.ofSeconds(60));
    if (listing.exitCode() != 0) {
      throw new ToolFailure("'" + path + "' is not a directory");
    }
    List<Entry> entries = new ArrayList<>();
    for (String line : listing.stdout().split("\n")) {
      String[] fields = line.split("\t", 3);
      if (fields.length == 3 && !fields[2].equals(".git")) {
        entries.add(new Entry(Integer.parseInt(fields[0]), fields[1].equals("d"), fields[2]));
      }
    }
    int depth = 1;
    while (depth < MAX_DEPTH && countUpTo(entries, depth + 1) <= MAX_ENTRIES && countUpTo(entries, depth + 1) > countUpTo(entries, depth)) {
      depth++;
    }
    int shownDepth = depth;
    List<String> shown =
        entries.stream()
            .filter(e -> e.depth() <= shownDepth)
            .map(e -> e.directory() ? e.path() + "/" : e.path())
            .sorted()
            .toList();
    StringBuilder text =
        new StringBuilder("Directory " + path + " (depth " + depth + ", " + shown.size() + " entries):\n");
    shown.stream().limit(MAX_ENTRIES).forEach(entry -> text.append(entry).append('\n'));
    if (shown.size() > MAX_ENTRIES) {
      text.append("... ").append(shown.size() - MAX_ENTRIES).append(" more; view a subdirectory to see them\n");
    }
    return text.toString();
  }

  private static long countUpTo(List<Entry> entries, int depth) {
    return entries.stream().filter(e -> e.depth() <= depth).count();
  }
}
