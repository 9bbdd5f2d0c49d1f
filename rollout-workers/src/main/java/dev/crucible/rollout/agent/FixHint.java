package dev.crucible.rollout.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a {@code fix} hint: each edit as the file, the text to replace and its replacement, in
 * fenced blocks. The task factory writes it at the end of a problem statement; the scripted expert
 * reads it back from there, as any agent would, so its demonstrations copy exactly what the hint shows.
 */
public final class FixHint {
  static final String HEADER = "The fix:\n";
  private static final Pattern EDIT = Pattern.compile("in (\\S+) replace\n```\n(.*?)```\nwith\n```\n(.*?)```\n", Pattern.DOTALL);

  private FixHint() {}

  public static String render(List<PatchHunk> edits) {
    StringBuilder text = new StringBuilder(HEADER);
    for (PatchHunk edit : edits) {
      text.append("in ").append(edit.file()).append(" replace\n```\n").append(edit.before()).append("```\nwith\n```\n")
          .append(edit.after()).append("```\n");
    }
    return text.toString();
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
      edits.add(new PatchHunk(edit.group(1), edit.group(2), edit.group(3), null));
      edit.region(edit.end(), problemStatement.length());
    }
    return edits;
  }
}
