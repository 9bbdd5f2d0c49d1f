package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.tools.StrReplaceEditorTool;
import org.junit.jupiter.api.Test;

class PatchHunkTest {
  private static PatchHunk hunk(String before, String after) {
    return new PatchHunk("kit/a.py", before, after, null);
  }

  /**
   * Narrows the hunk {@code before -> after} in {@code source} and checks the edit is unique there,
   * does what the whole hunk does, and is {@code narrowBefore -> narrowAfter}.
   */
  private static void assertNarrowed(String source, String before, String after, String narrowBefore, String narrowAfter) {
    PatchHunk edit = hunk(before, after).narrowedIn(source);
    assertThat(StrReplaceEditorTool.occurrences(source, edit.before())).isEqualTo(1);
    assertThat(source.replace(edit.before(), edit.after())).isEqualTo(source.replace(before, after));
    assertThat(edit.before()).isEqualTo(narrowBefore);
    assertThat(edit.after()).isEqualTo(narrowAfter);
  }

  @Test
  void aUniqueChangedLineNeedsNoContext() {
    assertNarrowed("a = 1\nb = a - 1\nc = 3\n", "a = 1\nb = a - 1\nc = 3\n", "a = 1\nb = a + 1\nc = 3\n", "b = a - 1\n", "b = a + 1\n");
  }

  @Test
  void aRecurringChangedLineWidensBelowFirstThenAbove() {
    // x = 0 occurs twice; with the line below it is still twice; with one above too it is once.
    String g = "def g():\n    x = 0\n    return x\n";
    String fixed = "def g():\n    x = 1\n    return x\n";
    assertNarrowed("def f():\n    x = 0\n    return x\n\n" + g, g, fixed, g, fixed);
  }

  @Test
  void aPureInsertionTakesAContextLine() {
    // The blank line below occurs three times as text; with the line above it, once.
    String source = "import os\n\nprint(os.sep)\n";
    assertNarrowed(source, source, "import os\nimport sys\n\nprint(os.sep)\n", "import os\n\n", "import os\nimport sys\n\n");
  }

  @Test
  void aPureDeletionReplacesWithNothing() {
    String source = "a = 1\nunused = 2\nb = 3\n";
    assertNarrowed(source, source, "a = 1\nb = 3\n", "unused = 2\n", "");
  }

  @Test
  void aHunkWithNothingUniqueStaysWhole() {
    String source = "x = 0\nx = 0\n";
    PatchHunk hunk = hunk("x = 0\n", "x = 1\n");
    assertThat(hunk.narrowedIn(source)).isEqualTo(hunk);
  }
}
