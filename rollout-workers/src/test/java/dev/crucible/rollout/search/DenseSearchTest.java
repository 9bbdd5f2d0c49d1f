package dev.crucible.rollout.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Vector search and reciprocal rank fusion. The embedder is a hand-written stand-in for an embeddings endpoint
 * (none runs on this machine): one dimension per concept of a small table, so synonyms meet.
 */
class DenseSearchTest {
  private static final List<List<String>> CONCEPTS = List.of(
      List.of("duplicate", "dedupe", "unique"), List.of("upper", "shout", "loud"), List.of("count", "number", "tally"));

  private static final Embedder CONCEPT_EMBEDDER = texts -> texts.stream().map(text -> {
    String lower = text.toLowerCase(Locale.ROOT);
    float[] vector = new float[CONCEPTS.size() + 1];
    vector[CONCEPTS.size()] = 0.01f; // No vector may be all zeros under cosine similarity.
    for (int i = 0; i < CONCEPTS.size(); i++) {
      for (String word : CONCEPTS.get(i)) {
        if (lower.contains(word)) {
          vector[i] += 1;
        }
      }
    }
    return vector;
  }).toList();

  private static final List<CodeUnit> UNITS = List.of(
      new CodeUnit(UnitKind.FUNCTION, "pkg/lists.py", "dedupe", 1, 3, "def dedupe(items):", "", "return list(dict.fromkeys(items))"),
      new CodeUnit(UnitKind.FUNCTION, "pkg/text.py", "shout", 1, 2, "def shout(text):", "", "return text.upper()"),
      new CodeUnit(UnitKind.FUNCTION, "pkg/text.py", "tally_words", 4, 5, "def tally_words(text):", "", "return len(text.split())"));

  @Test
  void aQueryWithoutSharedWordsFindsItsFunctionByMeaning() {
    try (CodeIndex lexical = new CodeIndex(UNITS); CodeIndex dense = new CodeIndex(UNITS, CONCEPT_EMBEDDER)) {
      assertThat(lexical.search("remove repeated entries that are duplicate", UnitKind.FUNCTION, 3)).isEmpty();
      assertThat(dense.search("remove repeated entries that are duplicate", UnitKind.FUNCTION, 1)).extracting(hit -> hit.unit().name())
          .containsExactly("dedupe");
      // Both searches agree on the word and the meaning: fused, it ranks first.
      assertThat(dense.search("shout the text", UnitKind.FUNCTION, 3)).extracting(hit -> hit.unit().name()).startsWith("shout");
      assertThat(dense.search("shout the text", UnitKind.FILE, 3)).as("no file units").isEmpty();
    }
  }

  @Test
  void reciprocalRankFusionSumsOneOverSixtyPlusRank() {
    CodeUnit a = UNITS.get(0);
    CodeUnit b = UNITS.get(1);
    CodeUnit c = UNITS.get(2);
    List<CodeIndex.Hit> fused = CodeIndex.fuse(List.of(
        List.of(new CodeIndex.Hit(a, 9), new CodeIndex.Hit(b, 5)),
        List.of(new CodeIndex.Hit(b, 0.9f), new CodeIndex.Hit(c, 0.8f), new CodeIndex.Hit(a, 0.1f))), 3);
    // b: 1/62 + 1/61 = 0.032523; a: 1/61 + 1/63 = 0.032266; c: 1/62 = 0.016129.
    assertThat(fused).extracting(hit -> hit.unit().name()).containsExactly("shout", "dedupe", "tally_words");
    assertThat(fused.get(0).score()).isCloseTo(1f / 62 + 1f / 61, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(fused.get(1).score()).isCloseTo(1f / 61 + 1f / 63, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(fused.get(2).score()).isCloseTo(1f / 62, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(CodeIndex.fuse(List.of(List.of(new CodeIndex.Hit(a, 1), new CodeIndex.Hit(b, 1))), 1)).hasSize(1);
  }
}
