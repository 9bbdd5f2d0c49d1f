package dev.crucible.reward.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.reward.grading.TestsReport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class SignalsTest {
  static final String DIFF =
      """
      diff --git a/calc/ops.py b/calc/ops.py
      index 1111111..2222222 100644
      --- a/calc/ops.py
      +++ b/calc/ops.py
      @@ -2,4 +2,5 @@ import math
       def add(a, b):
      -    return a - b
      +    return a + b
      +
       def mul(a, b):
      @@ -20,3 +21,3 @@ def mul(a, b):
       # helpers
      -# old comment
      +# new comment
       X = 1
      diff --git a/calc/new.py b/calc/new.py
      new file mode 100644
      --- /dev/null
      +++ b/calc/new.py
      @@ -0,0 +1,2 @@
      +def sub(a, b):
      +    return a - b
      diff --git a/calc/gone.py b/calc/gone.py
      deleted file mode 100644
      --- a/calc/gone.py
      +++ /dev/null
      @@ -1 +0,0 @@
      -x = 1
      """;

  @Test
  void findsTheAddedAndChangedLinesOfTheNewSide() {
    Map<String, SortedSet<Integer>> changed = UnifiedDiff.changedLines(DIFF);
    assertThat(changed.keySet()).containsExactly("calc/ops.py", "calc/new.py");
    assertThat(changed.get("calc/ops.py")).containsExactly(3, 4, 22);
    assertThat(changed.get("calc/new.py")).containsExactly(1, 2);
  }

  @Test
  void coverageCountsOnlyExecutableChangedLines() throws Exception {
    // ops.py: line 3 ran, line 4 is blank (neither list), line 22 is a comment (neither);
    // new.py: line 1 ran (the def), line 2 missed.
    String report =
        """
        {"files": {
          "calc/ops.py": {"executed_lines": [1, 2, 3, 5], "missing_lines": [6]},
          "calc/new.py": {"executed_lines": [1], "missing_lines": [2]}
        }}
        """;
    Double fraction = ChangedLineCoverage.fraction(UnifiedDiff.changedLines(DIFF), new ObjectMapper().readTree(report));
    assertThat(fraction).isEqualTo(2.0 / 3);
  }

  @Test
  void coverageIsNullWhenNoChangedLineIsExecutable() throws Exception {
    assertThat(ChangedLineCoverage.fraction(Map.of("a.py", new java.util.TreeSet<>(Set.of(1))), new ObjectMapper().readTree("{\"files\": {}}")))
        .isNull();
  }

  @Test
  void countsLintIssuesAndOnlyThoseIntroduced() {
    String pyflakes = "calc/ops.py:1:1: 'os' imported but unused\ncalc/ops.py:9:5: undefined name 'y'\n    y + 1\n    ^\n";
    assertThat(LintIssues.count(pyflakes)).isEqualTo(2);
    assertThat(LintIssues.introduced(1, 3)).isEqualTo(2);
    assertThat(LintIssues.introduced(3, 1)).isZero();
  }

  @Test
  void compositeRewardUsesTheDesignDefaults() {
    TestsReport resolved = new TestsReport(List.of("f"), List.of(), List.of("p"), List.of());
    RewardBreakdown breakdown = CompositeReward.compute(resolved, 0.5, 2, 1_000, 7, 0.0, RewardWeights.defaults());
    // 1.0 + 0.2 * 0.5 - 0.0001 * 1000 - 0.05 * 2 = 0.9
    assertThat(breakdown.total()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(breakdown.resolved()).isTrue();
    assertThat(breakdown.changedLineCoverage()).isEqualTo(0.5);
    assertThat(breakdown.lintIssuesIntroduced()).isEqualTo(2);
    assertThat(breakdown.steps()).isEqualTo(7);

    TestsReport unresolved = new TestsReport(List.of(), List.of("f"), List.of("p"), List.of());
    assertThat(CompositeReward.compute(unresolved, null, 0, 0, 0, 0.0, RewardWeights.defaults()).total()).isZero();
    // Unresolved: lines that ran earn nothing; 0 - 0.0001 * 1000 - 0.05 * 1 = -0.15, coverage kept in its column.
    RewardBreakdown covered = CompositeReward.compute(unresolved, 1.0, 1, 1_000, 3, 0.0, RewardWeights.defaults());
    assertThat(covered.total()).isCloseTo(-0.15, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(covered.changedLineCoverage()).isEqualTo(1.0);
  }

  @Test
  void aPatchResolvedByAPublishedLabelEarnsWhatAResolvingPatchWithNothingElseMeasuredEarns() {
    RewardBreakdown labelled = CompositeReward.resolvedByLabel(4, RewardWeights.defaults());
    RewardBreakdown graded =
        CompositeReward.compute(new TestsReport(List.of("f"), List.of(), List.of("p"), List.of()), null, 0, 0, 4, 0.0, RewardWeights.defaults());
    assertThat(labelled).isEqualTo(graded);
    assertThat(labelled.total()).isEqualTo(1.0);
  }

  @Test
  void weightsMustBeFiniteAndNonNegative() {
    assertThatThrownBy(() -> new RewardWeights(1, -0.2, 0, 0, 0, 0))
        .hasMessage("weight 'coverage' must be a finite number >= 0, got -0.2");
  }

  @Test
  void aDiffOfAgentTextNeverFailsToParse() {
    String hostile =
        "--- a/x.py\n+++ b/x.py\n@@ -99999999999 +99999999999,3 @@\n+a\n+b\n@@ -1 +2 @@\n+c\n"
            + "+++ \n@@ garbage @@\n+++ b/y.py\n@@ -1,1 +1,1\n+d\n\u0000\ufffd\n";
    // The absurd hunk counts nothing; "+++ " inside a hunk is an added line; a hunk header without its
    // closing @@ starts no hunk.
    assertThat(UnifiedDiff.changedLines(hostile))
        .containsExactly(
            java.util.Map.entry("x.py", new java.util.TreeSet<>(java.util.List.of(2, 3))), java.util.Map.entry("y.py", new java.util.TreeSet<>()));
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      StringBuilder text = new StringBuilder();
      String[] pieces = {"+++ b/", "--- a/", "@@ -", " +", ",", "@@", "\n", "+", "-", " ", "9999999999999", "1", "\\", "/dev/null"};
      for (int j = 0; j < 40; j++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      UnifiedDiff.changedLines(text.toString());
    }
  }
}
