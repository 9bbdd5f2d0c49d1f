package dev.crucible.rollout.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.HintLevel;
import org.junit.jupiter.api.Test;

class TaskHintsTest {
  private static final String BUG = "def clamp(x, low, high):\n    if x <= low:\n        return low\n    return min(x, high)\n";
  private static final String ORIGINAL = "def clamp(x, low, high):\n    if x < low:\n        return low\n    return min(x, high)\n";
  private static final String GOLD = """
      diff --git a/kit/num.py b/kit/num.py
      index 1111111..2222222 100644
      --- a/kit/num.py
      +++ b/kit/num.py
      @@ -1,4 +1,4 @@ def clamp(x, low, high):
       def clamp(x, low, high):
      -    if x <= low:
      +    if x < low:
               return low
           return min(x, high)
      """;
  private static final MutationCandidate BUG_AT = new MutationCandidate(3, "flip_comparison", "kit/num.py", "clamp", 2);

  @Test
  void eachLevelAddsToTheOneBefore() {
    assertThat(TaskHints.text(HintLevel.NONE, BUG_AT, GOLD, BUG)).isEmpty();
    assertThat(TaskHints.text(HintLevel.FILE, BUG_AT, GOLD, BUG)).isEqualTo("\nHint: the bug is in kit/num.py.\n");
    assertThat(TaskHints.text(HintLevel.FUNCTION, BUG_AT, GOLD, BUG)).isEqualTo("\nHint: the bug is in function clamp of kit/num.py.\n");
    assertThat(TaskHints.text(HintLevel.LINE, BUG_AT, GOLD, BUG)).isEqualTo("\nHint: the bug is at line 2 of kit/num.py, in function clamp.\n");
    assertThat(TaskHints.text(HintLevel.FIX, BUG_AT, GOLD, BUG))
        .isEqualTo("\nHint: the bug is at line 2 of kit/num.py, in function clamp.\nThe fix:\nin kit/num.py replace\n```\n    if x <= low:\n```\nwith\n```\n"
            + "    if x < low:\n```\n");
  }

  @Test
  void theFixHintIsTheEditThatRestoresTheOriginal() {
    String hint = TaskHints.text(HintLevel.FIX, BUG_AT, GOLD, BUG);
    String before = between(hint, "replace\n```\n", "```\nwith");
    String after = between(hint, "with\n```\n", "```\n");
    assertThat(BUG.replace(before, after)).isEqualTo(ORIGINAL);
  }

  @Test
  void aChangedLineThatRecursIsShownWithTheContextThatMakesItUnique() {
    String bug = "def low(x):\n    return x - 1\n\ndef high(x):\n    return x - 1\n";
    String original = "def low(x):\n    return x - 1\n\ndef high(x):\n    return x + 1\n";
    String gold = "diff --git a/kit/num.py b/kit/num.py\n--- a/kit/num.py\n+++ b/kit/num.py\n@@ -2,4 +2,4 @@ def low(x):\n"
        + "     return x - 1\n \n def high(x):\n-    return x - 1\n+    return x + 1\n";
    String hint = TaskHints.text(HintLevel.FIX, new MutationCandidate(5, "flip_operator", "kit/num.py", "high", 5), gold, bug);
    String before = between(hint, "replace\n```\n", "```\nwith");
    String after = between(hint, "with\n```\n", "```\n");
    assertThat(before).isEqualTo("def high(x):\n    return x - 1\n");
    assertThat(after).isEqualTo("def high(x):\n    return x + 1\n");
    assertThat(bug.replace(before, after)).isEqualTo(original);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }
}
