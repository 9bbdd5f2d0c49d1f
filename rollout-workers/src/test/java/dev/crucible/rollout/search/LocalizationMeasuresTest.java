package dev.crucible.rollout.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Gold locations from a patch, the keyword baseline's ranking and hit@k, against values worked by hand. */
class LocalizationMeasuresTest {
  private static final List<CodeUnit> UNITS = List.of(
      new CodeUnit(UnitKind.FILE, "pkg/a.py", "pkg/a.py", 1, 30, "", "", ""),
      new CodeUnit(UnitKind.FUNCTION, "pkg/a.py", "first", 1, 9, "def first():", "", ""),
      new CodeUnit(UnitKind.FUNCTION, "pkg/a.py", "Klass.second", 12, 20, "def second(self):", "", ""),
      new CodeUnit(UnitKind.FUNCTION, "pkg/a.py", "third", 22, 30, "def third():", "", ""),
      new CodeUnit(UnitKind.FUNCTION, "pkg/b.py", "helper", 1, 5, "def helper():", "", ""));

  @Test
  void goldLocationsAreTheOldSideLinesAPatchRemovesOrInsertsBetween() {
    String patch = """
        diff --git a/pkg/a.py b/pkg/a.py
        --- a/pkg/a.py
        +++ b/pkg/a.py
        @@ -14,4 +14,4 @@ class Klass:
             x = 1
        -    y = 2
        +    y = 3
             z = 4
             w = 5
        @@ -24,2 +24,3 @@ def third():
             a = 1
        +    b = 2
             c = 3
        diff --git a/pkg/new.py b/pkg/new.py
        --- /dev/null
        +++ b/pkg/new.py
        @@ -0,0 +1 @@
        +print(1)
        """;
    GoldLocations gold = GoldLocations.of(patch);
    // Line 15 removed; an insertion after old line 24, before old 25: both neighbours count.
    assertThat(gold.lines()).containsOnlyKeys("pkg/a.py");
    assertThat(gold.lines().get("pkg/a.py")).containsExactly(15, 16, 24, 25);
    assertThat(gold.functions(UNITS)).containsExactly("pkg/a.py:Klass.second", "pkg/a.py:third");
  }

  @Test
  void theKeywordBaselineRanksByMatchingLines() {
    assertThat(KeywordBaseline.keywords("When the Parser calls parse_items() it should skip the blank_line, not crash on it"))
        .containsExactly("Parser", "calls", "parse_items", "skip", "blank_line", "crash");
    String matches = """
        ./pkg/b.py:2:parse_items
        pkg/a.py:3:parse_items
        pkg/a.py:25:blank_line
        pkg/a.py:26:Parser
        pkg/b.py:4:crash
        pkg/b.py:5:skip
        """;
    KeywordBaseline.Ranking ranking = KeywordBaseline.rank(matches, UNITS);
    // pkg/b.py has three matching lines, pkg/a.py three: the tie goes to the path's order.
    assertThat(ranking.files()).containsExactly("pkg/a.py", "pkg/b.py");
    assertThat(ranking.functions()).containsExactly("pkg/b.py:helper", "pkg/a.py:third", "pkg/a.py:first");
  }

  @Test
  void hitAtKCountsTasksWhoseFirstKResultsHoldAGoldLocation() {
    HitsAtK hits = new HitsAtK();
    hits.add(List.of("a", "b", "c"), Set.of("a"));
    hits.add(List.of("x", "y", "z", "w", "v", "gold"), Set.of("gold"));
    hits.add(List.of("x"), Set.of("gold"));
    hits.add(List.of("x"), Set.of());
    assertThat(hits.tasks()).isEqualTo(3);
    assertThat(hits.json().toString()).isEqualTo("{\"tasks\":3,\"hit@1\":0.3333,\"hit@5\":0.3333,\"hit@10\":0.6667}");
  }
}
