package dev.crucible.rollout.tasks;

import dev.crucible.data.HintLevel;
import dev.crucible.rollout.agent.PatchHunk;
import java.util.List;

/**
 * The hint a generated task's problem statement ends with at each {@link HintLevel}. The {@code fix}
 * hint shows each hunk of the gold patch as the {@code str_replace} edit that applies it (the text the
 * scripted expert's demonstrations use), so copying it into {@code str_replace_editor} solves the task.
 */
public final class TaskHints {
  private TaskHints() {}

  /**
   * @param bug the planted bug
   * @param goldPatch the patch that restores the original
   * @return the text to append to the problem statement; empty at {@link HintLevel#NONE}
   */
  public static String text(HintLevel level, MutationCandidate bug, String goldPatch) {
    return switch (level) {
      case NONE -> "";
      case FILE -> "\nHint: the bug is in " + bug.file() + ".\n";
      case FUNCTION -> "\nHint: the bug is in function " + bug.function() + " of " + bug.file() + ".\n";
      case LINE -> "\nHint: the bug is at line " + bug.line() + " of " + bug.file() + ", in function " + bug.function() + ".\n";
      case FIX -> text(HintLevel.LINE, bug, goldPatch) + fix(PatchHunk.of(goldPatch));
    };
  }

  private static String fix(List<PatchHunk> hunks) {
    StringBuilder text = new StringBuilder("The fix:\n");
    for (PatchHunk hunk : hunks) {
      text.append("in ").append(hunk.file()).append(" replace\n```\n").append(hunk.before()).append("```\nwith\n```\n")
          .append(hunk.after()).append("```\n");
    }
    return text.toString();
  }
}
