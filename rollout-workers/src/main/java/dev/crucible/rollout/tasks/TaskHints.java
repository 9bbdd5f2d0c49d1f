package dev.crucible.rollout.tasks;

import dev.crucible.data.HintLevel;
import dev.crucible.rollout.agent.FixHint;
import dev.crucible.rollout.agent.PatchHunk;
import java.util.ArrayList;
import java.util.List;

/**
 * The hint a generated task's problem statement ends with at each {@link HintLevel}. The {@code fix}
 * hint shows each hunk of the gold patch as the {@code str_replace} edit that applies it, with only as
 * much context as makes it unambiguous in the buggy file ({@link PatchHunk#narrowedIn}): copying it into
 * {@code str_replace_editor} solves the task, and the scripted expert's demonstrations do exactly that.
 */
public final class TaskHints {
  private TaskHints() {}

  /**
   * @param bug the planted bug
   * @param goldPatch the patch that restores the original
   * @param buggySource the content of the bug's file at the task's base commit
   * @return the text to append to the problem statement; empty at {@link HintLevel#NONE}
   */
  public static String text(HintLevel level, MutationCandidate bug, String goldPatch, String buggySource) {
    return switch (level) {
      case NONE -> "";
      case FILE -> "\nHint: the bug is in " + bug.file() + ".\n";
      case FUNCTION -> "\nHint: the bug is in function " + bug.function() + " of " + bug.file() + ".\n";
      case LINE -> "\nHint: the bug is at line " + bug.line() + " of " + bug.file() + ", in function " + bug.function() + ".\n";
      case FIX -> text(HintLevel.LINE, bug, goldPatch, buggySource) + FixHint.render(narrowed(PatchHunk.of(goldPatch), buggySource));
    };
  }

  /** Each hunk narrowed in the file as the hunks before it leave it (a mutation changes one file). */
  private static List<PatchHunk> narrowed(List<PatchHunk> hunks, String source) {
    List<PatchHunk> edits = new ArrayList<>();
    String current = source;
    for (PatchHunk hunk : hunks) {
      PatchHunk edit = hunk.narrowedIn(current);
      edits.add(edit);
      int at = current.indexOf(edit.before());
      if (at >= 0) {
        current = current.substring(0, at) + edit.after() + current.substring(at + edit.before().length());
      }
    }
    return edits;
  }
}
