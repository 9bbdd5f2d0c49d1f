package dev.crucible.reward.signals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The new side of a unified diff ({@code git diff}): for each file the patch leaves in place, the
 * line numbers it adds or changes. Deleted files are left out; so are files whose only change is
 * removed lines, which then map to an empty set. Total: any text, however malformed, gives a result,
 * since patches are written by the agent.
 */
public final class UnifiedDiff {
  private static final Pattern NEW_FILE = Pattern.compile("^\\+\\+\\+ (?:b/)?(.+?)(?:\\t.*)?$");
  private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*$");

  private UnifiedDiff() {}

  /** Added or changed line numbers (1-based, new side) by file path, in diff order. */
  public static Map<String, SortedSet<Integer>> changedLines(String diff) {
    Map<String, SortedSet<Integer>> changed = new LinkedHashMap<>();
    String file = null;
    int line = 0;
    for (String text : diff.split("\n", -1)) {
      Matcher newFile = NEW_FILE.matcher(text);
      if (text.startsWith("+++ ") && newFile.matches()) {
        file = newFile.group(1).equals("/dev/null") ? null : newFile.group(1);
        if (file != null) {
          changed.putIfAbsent(file, new TreeSet<>());
        }
        continue;
      }
      Matcher hunk = HUNK.matcher(text);
      if (hunk.matches()) {
        // A line number no file can have (agent-written text) makes the hunk unreadable, not an error.
        line = hunk.group(1).length() > 9 ? 0 : Integer.parseInt(hunk.group(1));
        continue;
      }
      if (file == null || line == 0) {
        continue;
      }
      if (text.startsWith("+")) {
        changed.get(file).add(line++);
      } else if (text.startsWith(" ")) {
        line++;
      } else if (!text.startsWith("-") && !text.startsWith("\\")) {
        line = 0;
      }
    }
    return changed;
  }
}
