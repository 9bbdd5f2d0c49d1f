package dev.crucible.rollout.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.rollout.search.CodeIndex;
import dev.crucible.rollout.search.CodeUnit;
import dev.crucible.rollout.search.Embedder;
import dev.crucible.rollout.search.EmbeddingsRefusedException;
import dev.crucible.rollout.search.EmbeddingsUnavailableException;
import dev.crucible.rollout.search.UnitKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tool's arguments and answers, over a hand-made index; it never touches the sandbox (none here). */
class SearchCodeToolTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SearchCodeTool tool = new SearchCodeTool();

  private static ToolContext context(CodeIndex index) {
    ToolContext context = new ToolContext(null, null, Duration.ofMinutes(1));
    if (index != null) {
      context.codeIndex(index);
    }
    return context;
  }

  private String call(ToolContext context, String arguments) throws Exception {
    return tool.call(new Arguments(MAPPER.readTree(arguments)), context);
  }

  @Test
  void ranksFunctionsOrFilesWithTheirLinesAndSignatures() throws Exception {
    try (CodeIndex index = new CodeIndex(List.of(
        new CodeUnit(UnitKind.FILE, "textops/words.py", "textops/words.py", 1, 9, "", "", "def count_words(text): ..."),
        new CodeUnit(UnitKind.FUNCTION, "textops/words.py", "count_words", 1, 2, "def count_words(text):", "", "return len(text.split())"),
        new CodeUnit(UnitKind.FUNCTION, "textops/words.py", "shout", 5, 6, "def shout(text):", "", "return text.upper()")))) {
      ToolContext context = context(index);
      assertThat(call(context, "{\"query\": \"the counting is wrong\"}"))
          .isEqualTo("1 function for 'the counting is wrong':\ntextops/words.py:1-2  count_words  def count_words(text):\n");
      assertThat(call(context, "{\"query\": \"text\", \"k\": 2}")).startsWith("2 functions for 'text':\n");
      assertThat(call(context, "{\"query\": \"count words\", \"kind\": \"file\"}"))
          .isEqualTo("1 file for 'count words':\ntextops/words.py:1-9\n");
      assertThat(call(context, "{\"query\": \"xyzzy\"}")).isEqualTo("No functions match 'xyzzy'.");
      assertThatThrownBy(() -> call(context, "{\"query\": \"x\", \"kind\": \"class\"}")).isInstanceOf(ToolFailure.class)
          .hasMessage("unknown kind 'class'; the kinds are file, function");
      assertThatThrownBy(() -> call(context, "{\"query\": \"x\", \"k\": 51}")).isInstanceOf(ToolFailure.class)
          .hasMessage("k must be between 1 and 50, not 51");
      assertThatThrownBy(() -> call(context, "{\"kind\": \"file\"}")).isInstanceOf(ToolFailure.class);
    }
  }

  @Test
  void withoutAnIndexItSaysWhy() {
    ToolContext context = context(null);
    context.codeIndexMissing("listing the code failed (exit 127): python3: not found");
    assertThatThrownBy(() -> call(context, "{\"query\": \"x\"}")).isInstanceOf(ToolFailure.class)
        .hasMessage("search_code is unavailable: listing the code failed (exit 127): python3: not found");
  }

  /**
   * An embeddings endpoint failing a query mid-episode is not an answer the agent sees: the episode's runner gets it.
   * A query the endpoint refuses is the agent's to see, so no agent can make its episode vanish as an infrastructure
   * error by writing one.
   */
  @Test
  void anEmbeddingsFailureReachesTheRunnerThroughTheToolBoxAndARefusedQueryTheAgent() {
    java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(true);
    Embedder embedder = texts -> {
      if (texts.get(0).startsWith("huge")) {
        throw new EmbeddingsRefusedException("the embeddings endpoint http://e/v1/embeddings failed: HTTP 400: too many tokens", null);
      }
      if (!up.get()) {
        throw new EmbeddingsUnavailableException("the embeddings endpoint http://e/v1/embeddings failed: HTTP 503");
      }
      return texts.stream().map(text -> new float[] {1, text.length()}).toList();
    };
    try (CodeIndex index = new CodeIndex(List.of(
        new CodeUnit(UnitKind.FUNCTION, "textops/words.py", "count_words", 1, 2, "def count_words(text):", "", "return len(text.split())")), embedder)) {
      ToolBox tools = ToolBox.standard(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
      assertThat(tools.call(SearchCodeTool.NAME, "{\"query\": \"count\"}", context(index)).text()).contains("count_words");
      ToolBox.Observation refused = tools.call(SearchCodeTool.NAME, "{\"query\": \"huge count\"}", context(index));
      assertThat(refused.status()).isEqualTo(ToolBox.Status.ERROR);
      assertThat(refused.text()).startsWith("Error: the query could not be embedded, shorten or reword it").contains("HTTP 400: too many tokens");
      up.set(false);
      assertThatThrownBy(() -> tools.call(SearchCodeTool.NAME, "{\"query\": \"count\"}", context(index)))
          .isInstanceOf(EmbeddingsUnavailableException.class);
    }
  }
}
