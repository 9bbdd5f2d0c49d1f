package dev.crucible.rollout.agent;

import dev.crucible.rollout.tools.StrReplaceEditorTool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hunk of a unified diff as a {@code str_replace} edit: the file, the text it replaces and the
 * replacement (context lines included in both), and the definition named in its header. The scripted
 * expert edits with these; the task factory's {@code fix} hint shows them {@linkplain #narrowedIn narrowed}.
 *
 * @param definition the function or class named after the hunk's {@code @@}, or {@code null}
 */
public record PatchHunk(String file, String before, String after, String definition) {
  private static final Pattern FILE = Pattern.compile("^\\+\\+\\+ b/(.+)$");
  private static final Pattern HUNK = Pattern.compile("^@@ [^@]+ @@ ?(.*)$");
  private static final Pattern FUNCTION = Pattern.compile("(?:def|class)\\s+(\\w+)");

  /** The hunks of a unified diff, each as the text it replaces and the replacement, context included. */
  public static List<PatchHunk> of(String patch) {
    List<PatchHunk> hunks = new ArrayList<>();
    String file = null;
    StringBuilder before = null;
    StringBuilder after = null;
    String definition = null;
    for (String line : patch.split("\n")) {
      Matcher newFile = FILE.matcher(line);
      Matcher hunk = HUNK.matcher(line);
      if (newFile.matches() || hunk.matches() || line.startsWith("diff --git")) {
        if (before != null) {
          hunks.add(new PatchHunk(file, before.toString(), after.toString(), definition));
          before = null;
        }
        if (newFile.matches()) {
          file = newFile.group(1);
        } else if (hunk.matches()) {
          before = new StringBuilder();
          after = new StringBuilder();
          Matcher function = FUNCTION.matcher(hunk.group(1));
          definition = function.find() ? function.group(1) : null;
        }
        continue;
      }
      if (before == null || line.startsWith("\\")) {
        continue;
      }
      String text = line.isEmpty() ? "" : line.substring(1);
      if (!line.startsWith("+")) {
        before.append(text).append('\n');
      }
      if (!line.startsWith("-")) {
        after.append(text).append('\n');
      }
    }
    if (before != null) {
      hunks.add(new PatchHunk(file, before.toString(), after.toString(), definition));
    }
    return hunks;
  }

  /**
   * The same edit with as little context as keeps it unambiguous: the changed lines alone when their
   * text occurs once in {@code source} (the file the edit applies to), otherwise widened a line at a
   * time, below then above, until it does; the whole hunk when nothing shorter is unique.
   */
  public PatchHunk narrowedIn(String source) {
    List<String> old = Arrays.asList(before.split("(?<=\n)"));
    List<String> replacement = Arrays.asList(after.split("(?<=\n)"));
    int prefix = 0;
    while (prefix < old.size() && prefix < replacement.size() && old.get(prefix).equals(replacement.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < old.size() - prefix && suffix < replacement.size() - prefix
        && old.get(old.size() - 1 - suffix).equals(replacement.get(replacement.size() - 1 - suffix))) {
      suffix++;
    }
    for (int above = 0, below = 0; ; ) {
      String narrowBefore = String.join("", old.subList(prefix - above, old.size() - suffix + below));
      if (!narrowBefore.isEmpty() && StrReplaceEditorTool.occurrences(source, narrowBefore) == 1) {
        return new PatchHunk(file, narrowBefore,
            String.join("", replacement.subList(prefix - above, replacement.size() - suffix + below)), definition);
      }
      if (below < suffix && (below <= above || above == prefix)) {
        below++;
      } else if (above < prefix) {
        above++;
      } else {
        return this;
      }
    }
  }
}
