package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.ShellQuote;
import dev.crucible.rollout.sandbox.WorkdirPaths;
import java.time.Duration;
import java.util.List;

/** {@code search_files}: a ripgrep search (GNU grep where the image has no ripgrep) with file names and line numbers, capped. */
public final class SearchFilesTool implements Tool {
  static final int MAX_MATCHES = 50;

  private static final ObjectNode PARAMETERS =
      Schemas.parse(
          """
          {"type": "object",
           "properties": {
             "pattern": {"type": "string", "description": "Regular expression (ripgrep syntax)."},
             "path": {"type": "string", "description": "File or directory to search, relative to the repository root; default the root."},
             "glob": {"type": "string", "description": "Optional file filter such as '*.py'."}
           },
           "required": ["pattern"]}
          """);

  @Override
  public String name() {
    return "search_files";
  }

  @Override
  public String description() {
    return "Search file contents with a regular expression; shows file:line:text for up to " + MAX_MATCHES + " matches.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public String call(Arguments arguments, ToolContext context) {
    String pattern = arguments.requiredString("pattern");
    String path = arguments.optionalString("path", ".");
    String glob = arguments.optionalString("glob", null);
    context.sandbox().resolvePath(path, true);
    String target = WorkdirPaths.normalize(path);
    // Without a path argument ripgrep (and grep -r) search the working directory and name files without "./".
    String operand = target.equals(".") ? "" : " -- " + ShellQuote.quote(target);
    String ripgrep = "rg --line-number --no-heading --color never --max-columns 300 --max-columns-preview -e " + ShellQuote.quote(pattern)
        + (glob == null ? "" : " --glob " + ShellQuote.quote(glob)) + operand;
    // Images that bring their own environment (SWE-bench's) have no ripgrep: GNU grep with Perl-style
    // patterns, the closest to ripgrep's syntax, skipping binary files and .git, lines cut as ripgrep cuts them.
    String grep = "grep -rnIP --exclude-dir=.git" + (glob == null ? "" : " --include=" + ShellQuote.quote(glob)) + " -e "
        + ShellQuote.quote(pattern) + operand;
    String command = "if command -v rg >/dev/null 2>&1; then exec " + ripgrep + "; fi\n"
        + "found=$(" + grep + "); status=$?\n"
        + "[ -n \"$found\" ] && printf '%s\\n' \"$found\" | cut -c1-300\nexit $status";
    ExecResult result = context.sandbox().exec(command, Duration.ofSeconds(60));
    if (result.exitCode() == 1) {
      return "No matches for '" + pattern + "' in " + path + ".";
    }
    if (result.exitCode() != 0) {
      throw new ToolFailure("search failed: " + result.stderr().strip());
    }
    List<String> matches = result.stdout().lines().toList();
    StringBuilder text = new StringBuilder();
    text.append(matches.size()).append(matches.size() == 1 ? " match" : " matches").append(" for '").append(pattern).append("':\n");
    matches.stream().limit(MAX_MATCHES).forEach(line -> text.append(line).append('\n'));
    if (matches.size() > MAX_MATCHES) {
      text.append("... ").append(matches.size() - MAX_MATCHES).append(" more; narrow the pattern or the path\n");
    }
    return text.toString();
  }
}
