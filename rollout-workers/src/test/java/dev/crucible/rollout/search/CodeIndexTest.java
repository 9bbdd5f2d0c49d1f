package dev.crucible.rollout.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodeIndexTest {
  private static final List<CodeUnit> UNITS = List.of(
      new CodeUnit(UnitKind.FILE, "textops/words.py", "textops/words.py", 1, 12, "", "Word utilities.",
          "def count_words(text):\n    return len(text.split(' '))\n\ndef shout(text):\n    return text.upper() + '!'\n"),
      new CodeUnit(UnitKind.FUNCTION, "textops/words.py", "count_words", 1, 2, "def count_words(text):", "",
          "return len(text.split(' '))"),
      new CodeUnit(UnitKind.FUNCTION, "textops/words.py", "shout", 4, 5, "def shout(text):", "Upper-case text with a bang.",
          "return text.upper() + '!'"),
      new CodeUnit(UnitKind.FILE, "textops/http.py", "textops/http.py", 1, 3, "", "", "class HttpServer2:\n    def serveForever(self): pass\n"),
      new CodeUnit(UnitKind.FUNCTION, "textops/http.py", "HttpServer2.serveForever", 2, 2, "def serveForever(self):", "", "pass"));

  @Test
  void identifiersAreSplitIntoTheWordsAStatementUses() {
    try (CodeIndex index = new CodeIndex(UNITS)) {
      assertThat(index.words("countWords count_words HttpServer2 the Words serving"))
          .containsExactly("countword", "count", "word", "count_word", "httpserver2", "http", "server", "2", "serv");
    }
  }

  @Test
  void theFunctionAStatementDescribesRanksFirstAndKindsStayApart() {
    try (CodeIndex index = new CodeIndex(UNITS)) {
      List<CodeIndex.Hit> functions = index.search("count_words miscounts text with repeated spaces", UnitKind.FUNCTION, 10);
      assertThat(functions).extracting(hit -> hit.unit().name()).startsWith("count_words");
      assertThat(functions).allSatisfy(hit -> assertThat(hit.unit().kind()).isEqualTo(UnitKind.FUNCTION));
      assertThat(functions.get(0).unit().startLine()).isEqualTo(1);
      assertThat(functions.get(0).unit().endLine()).isEqualTo(2);
      assertThat(functions.get(0).unit().signature()).isEqualTo("def count_words(text):");

      assertThat(index.search("the server never stops serving", UnitKind.FUNCTION, 1)).extracting(hit -> hit.unit().name())
          .containsExactly("HttpServer2.serveForever");
      assertThat(index.search("the server never stops serving", UnitKind.FILE, 5)).extracting(hit -> hit.unit().path())
          .containsExactly("textops/http.py");
      assertThat(index.search("the and of", UnitKind.FUNCTION, 5)).as("only stop words").isEmpty();
      assertThat(index.search("nothing matches xyzzy", UnitKind.FILE, 5)).isEmpty();
    }
  }
}
