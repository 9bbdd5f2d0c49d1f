package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.tools.StrReplaceEditorTool;
import org.junit.jupiter.api.Test;

class PatchHunkTest {
  private static PatchHunk hunk(String before, String after) {
    return new PatchHunk("kit/a.py", before, after, null);
  }

  /** The narrowed edit is unique in the source and turns it into what the whole hunk would. */
  private static PatchHunk narrowed(PatchHunk hunk, String source) {
    PatchHunk edit = hunk.narrowedIn(source);
    assertThat(StrReplaceEditorTool.occurrences(source, edit.before())).isEqualTo(1);
    assertThat(source.replace(edit.before(), edit.after())).isEqualTo(source.replace(hunk.before(), hunk.after()));
    return edit;
  }

  @Test
  void aUniqueChangedLineNeedsNoContext() {
    String source = "a = 1\nb = a - 1\nc = 3\n";
    PatchHunk edit = narrowed(hunk("a = 1\nb = a - 1\nc = 3\n", "a = 1\nb = a + 1\nc = 3\n"), source);
    assertThat(edit.before()).isEqualTo("b = a - 1\n");
    assertThat(edit.after()).isEqualTo("b = a + 1\n");
  }

  @Test
  void aRecurringChangedLineWidensBelowFirstThenAbove() {
    // x = 0 occurs twice; with the line below it is still twice; with one above too it is once.
    String source = "def f():\n    x = 0\n    return x\n\ndef g():\n    x = 0\n    return x\n";
    PatchHunk hunk = hunk("def g():\n    x = 0\n    return x\n", "def g():\n    x = 1\n    return x\n");
    PatchHunk edit = narrowed(hunk, source);
    assertThat(edit.before()).isEqualTo("def g():\n    x = 0\n    return x\n");
    assertThat(edit.after()).isEqualTo("def g():\n    x = 1\n    return x\n");
  }

  @Test
  void aPureInsertionTakesAContextLine() {
    String source = "import os\n\nprint(os.sep)\n";
    PatchHunk edit = narrowed(hunk("import os\n\nprint(os.sep)\n", "import os\nimport sys\n\nprint(os.sep)\n"), source);
    // The blank line below occurs three times as text; with the line above it, once.
    assertThat(edit.before()).isEqualTo("import os\n\n");
    assertThat(edit.after()).isEqualTo("import os\nimport sys\n\n");
  }

  @Test
  void aPureDeletionReplacesWithNothing() {
    String source = "a = 1\nunused = 2\nb = 3\n";
    PatchHunk edit = narrowed(hunk("a = 1\nunused = 2\nb = 3\n", "a = 1\nb = 3\n"), source);
    assertThat(edit.before()).isEqualTo("unused = 2\n");
    assertThat(edit.after()).isEmpty();
  }

  @Test
  void aHunkWithNothingUniqueStaysWhole() {
    String source = "x = 0\nx = 0\n";
    PatchHunk hunk = hunk("x = 0\n", "x = 1\n");
    assertThat(hunk.narrowedIn(source)).isEqualTo(hunk);
  }
}
