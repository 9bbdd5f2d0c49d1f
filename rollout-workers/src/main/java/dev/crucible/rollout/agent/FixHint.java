package dev.crucible.rollout.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a {@code fix} hint: each edit as the file, the text to replace and its replacement, in
 * fenced blocks. The task factory writes it at the end of a problem statement; the scripted expert
 * reads it back from there, as any agent would, so its demonstrations copy exactly what the hint shows.
 * A fence is longer than any run of backticks in its text, as in Markdown, so code that holds a fence
 * of its own reads back whole.
 */
public final class FixHint {
  static final String HEADER = "The fix:\n";
  private static final Pattern EDIT =
      Pattern.compile("in (\\S+) replace\n(`{3,})\n(.*?)\\2\nwith\n(`{3,})\n(.*?)\\4\n", Pattern.DOTALL);
  private static final Pattern BACKTICKS = Pattern.compile("`+");

  private FixHint() {}

  public static String render(List<PatchHunk> edits) {
    StringBuilder text = new StringBuilder(HEADER);
    for (PatchHunk edit : edits) {
      text.append("in ").append(edit.file()).append(" replace\n").append(fenced(edit.before())).append("with\n")
          .append(fenced(edit.after()));
    }
    return text.toString();
  }

  /** The text between fences of three backticks, or one more than its longest run of them. */
  private static String fenced(String text) {
    int longest = 2;
    Matcher run = BACKTICKS.matcher(text);
    while (run.find()) {
      longest = Math.max(longest, run.group().length());
    }
    String fence = "`".repeat(longest + 1);
    return fence + "\n" + text + fence + "\n";
  }

  /** The edits of the last fix hint in {@code problemStatement}; empty when it has none. */
  public static List<PatchHunk> read(String problemStatement) {
    int start = problemStatement.lastIndexOf(HEADER);
    List<PatchHunk> edits = new ArrayList<>();
    if (start < 0) {
      return edits;
    }
    Matcher edit = EDIT.matcher(problemStatement).region(start + HEADER.length(), problemStatement.length());
    while (edit.lookingAt()) {
      edits.add(new PatchHunk(edit.group(1), edit.group(3), edit.group(5), null));
      edit.region(edit.end(), problemStatement.length());
    }
    return edits;
  }
}
