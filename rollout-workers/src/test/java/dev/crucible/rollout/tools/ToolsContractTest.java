package dev.crucible.rollout.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.rollout.sandbox.GitRepositories;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools, run through {@link ToolBox} on a real sandbox of each backend. */
public abstract class ToolsContractTest {
  @TempDir Path temp;
  protected Sandbox sandbox;
  protected ToolContext context;
  protected final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  protected final ToolBox tools = ToolBox.standard(metrics);

  protected abstract Sandbox create(SandboxSpec spec);

  @BeforeEach
  void createSandbox() throws Exception {
    String base = GitRepositories.pythonProject(temp.resolve("repo"));
    sandbox = create(SandboxSpec.builder().repository(temp.resolve("repo")).baseCommit(base).taskId("tools").build());
    context = new ToolContext(sandbox, "python3 -m pytest -rA", java.time.Duration.ofMinutes(30));
  }

  @AfterEach
  void closeSandbox() {
    sandbox.close();
  }

  protected ToolBox.Observation call(String tool, String argumentsJson) {
    return tools.call(tool, argumentsJson, context);
  }

  protected String ok(String tool, String argumentsJson) {
    ToolBox.Observation observation = call(tool, argumentsJson);
    assertThat(observation.status()).as(observation.text()).isEqualTo(ToolBox.Status.OK);
    return observation.text();
  }

  protected String error(String tool, String argumentsJson) {
    ToolBox.Observation observation = call(tool, argumentsJson);
    assertThat(observation.status()).as(observation.text()).isEqualTo(ToolBox.Status.ERROR);
    assertThat(observation.text()).startsWith("Error: ");
    return observation.text();
  }

  @Test
  void describesEveryToolInTheFunctionCallingLayout() {
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode entry : tools.schemas()) {
      assertThat(entry.get("type").asText()).isEqualTo("function");
      JsonNode function = entry.get("function");
      assertThat(function.get("description").asText()).isNotBlank();
      assertThat(function.get("parameters").get("type").asText()).isEqualTo("object");
      names.add(function.get("name").asText());
    }
    assertThat(names)
        .containsExactly("view_directory", "search_files", "search_code", "view_file", "str_replace_editor", "run_shell", "run_tests", "submit");
  }

  @Test
  void viewDirectoryGoesDeeperWhileTheListingIsShort() {
    assertThat(ok("view_directory", "{}"))
        .isEqualTo("Directory . (depth 2, 4 entries):\ncalc/\ncalc/__init__.py\ntests/\ntests/test_calc.py\n");
    sandbox.exec("mkdir -p big/inner && for i in $(seq 200); do touch big/inner/f$i.py; done", Duration.ofSeconds(30));
    String shallow = ok("view_directory", "{}");
    assertThat(shallow).startsWith("Directory . (depth 2, ").contains("big/inner/\n").doesNotContain("f17.py");
    assertThat(ok("view_directory", "{\"path\": \"big/inner\"}"))
        .startsWith("Directory big/inner (depth 1, 200 entries):")
        .contains("... 50 more; view a subdirectory to see them");
  }

  @Test
  void searchFilesShowsFileAndLineOfEachMatch() {
    assertThat(ok("search_files", "{\"pattern\": \"def add\"}"))
        .isEqualTo("1 match for 'def add':\ncalc/__init__.py:1:def add(a, b):\n");
    assertThat(ok("search_files", "{\"pattern\": \"add\", \"glob\": \"test_*.py\"}"))
        .contains("tests/test_calc.py:1:from calc import add").doesNotContain("calc/__init__.py");
    assertThat(ok("search_files", "{\"pattern\": \"nowhere_to_be_found\"}")).isEqualTo("No matches for 'nowhere_to_be_found' in ..");
    assertThat(error("search_files", "{\"pattern\": \"(unclosed\"}")).startsWith("Error: search failed: ");
  }

  @Test
  void viewFileNumbersLinesAndOutlinesLargeFiles() {
    assertThat(ok("view_file", "{\"path\": \"calc/__init__.py\"}"))
        .isEqualTo("File calc/__init__.py (2 lines):\n     1\tdef add(a, b):\n     2\t    return a + b\n");
    StringBuilder big = new StringBuilder("class Big:\n");
    for (int i = 1; i <= 399; i++) {
      big.append(i % 100 == 0 ? "    def method_" + i + "(self):\n" : "        x = " + i + "\n");
    }
    sandbox.writeFile("big.py", big.toString().getBytes(UTF_8));
    String shown = ok("view_file", "{\"path\": \"big.py\"}");
    assertThat(shown)
        .startsWith("File big.py has 400 lines; showing 1-300. Use view_range for the rest.\n")
        .contains("   300\t        x = 299\n")
        .doesNotContain("   301\t        x")
        .endsWith("Outline of big.py:\n     1\tclass Big:\n   101\t    def method_100(self):\n"
            + "   201\t    def method_200(self):\n   301\t    def method_300(self):\n");
    assertThat(ok("view_file", "{\"path\": \"big.py\", \"view_range\": [399, -1]}"))
        .isEqualTo("File big.py, lines 399-400 of 400:\n   399\t        x = 398\n   400\t        x = 399\n");
    assertThat(error("view_file", "{\"path\": \"big.py\", \"view_range\": [390, 500]}"))
        .isEqualTo("Error: view_range [390, 500] is outside the file, which has 400 lines");
  }

  @Test
  void aFileOfOneHugeLineGivesABoundedObservationThatSaysSo() {
    sandbox.writeFile("one-line.txt", "x".repeat(4 << 20).getBytes(UTF_8));
    String shown = ok("view_file", "{\"path\": \"one-line.txt\"}");
    assertThat(shown.length()).isLessThan(ToolBox.MAX_OBSERVATION_CHARACTERS + 100);
    assertThat(shown).startsWith("File one-line.txt (1 lines):").containsPattern("observation cut: \\d+ characters left out");
  }

  @Test
  void strReplaceNeedsExactlyOneMatchAndCanBeUndone() {
    assertThat(ok("str_replace_editor", "{\"command\": \"str_replace\", \"path\": \"calc/__init__.py\", \"old_str\": \"a + b\", \"new_str\": \"a - b\"}"))
        .isEqualTo("Edited calc/__init__.py. Around the change:\n     1\tdef add(a, b):\n     2\t    return a - b\n");
    assertThat(error("str_replace_editor", "{\"command\": \"str_replace\", \"path\": \"calc/__init__.py\", \"old_str\": \"a\", \"new_str\": \"b\"}"))
        .isEqualTo("Error: old_str occurs 3 times in calc/__init__.py; add surrounding lines so it occurs exactly once");
    assertThat(error("str_replace_editor", "{\"command\": \"str_replace\", \"path\": \"calc/__init__.py\", \"old_str\": \"a * b\", \"new_str\": \"b\"}"))
        .isEqualTo("Error: old_str was not found in calc/__init__.py; it must match exactly, whitespace included");
    assertThat(sandbox.diff()).contains("+    return a - b");
    ok("str_replace_editor", "{\"command\": \"undo_edit\", \"path\": \"calc/__init__.py\"}");
    assertThat(sandbox.diff()).isEmpty();
    assertThat(error("str_replace_editor", "{\"command\": \"undo_edit\", \"path\": \"calc/__init__.py\"}"))
        .isEqualTo("Error: there is no edit of calc/__init__.py to undo");
  }

  @Test
  void createsInsertsAndUndoesACreation() {
    ok("str_replace_editor", "{\"command\": \"create\", \"path\": \"calc/extra.py\", \"file_text\": \"one\\nthree\\n\"}");
    assertThat(error("str_replace_editor", "{\"command\": \"create\", \"path\": \"calc/extra.py\", \"file_text\": \"x\"}"))
        .contains("already exists");
    assertThat(ok("str_replace_editor", "{\"command\": \"insert\", \"path\": \"calc/extra.py\", \"insert_line\": 1, \"new_str\": \"two\"}"))
        .startsWith("Inserted 1 lines after line 1 of calc/extra.py:");
    assertThat(new String(sandbox.readFile("calc/extra.py"), UTF_8)).isEqualTo("one\ntwo\nthree\n");
    assertThat(error("str_replace_editor", "{\"command\": \"insert\", \"path\": \"calc/extra.py\", \"insert_line\": 9, \"new_str\": \"x\"}"))
        .isEqualTo("Error: insert_line 9 is outside the file, which has 3 lines");
    ok("str_replace_editor", "{\"command\": \"undo_edit\", \"path\": \"calc/extra.py\"}");
    ok("str_replace_editor", "{\"command\": \"undo_edit\", \"path\": \"calc/extra.py\"}");
    assertThat(sandbox.diff()).isEmpty();
  }

  @Test
  void runShellReportsExitCodeOutputAndTimeouts() {
    assertThat(ok("run_shell", "{\"command\": \"echo hi; echo oops >&2; exit 2\"}"))
        .isEqualTo("Exit code 2.\nstdout:\nhi\nstderr:\noops\n");
    assertThat(ok("run_shell", "{\"command\": \"sleep 20\", \"timeout_seconds\": 1}"))
        .startsWith("Timed out after 1 s and was killed.");
    assertThat(error("run_shell", "{\"command\": \"true\", \"timeout_seconds\": 0}"))
        .isEqualTo("Error: timeout_seconds must be between 1 and 600, got 0");
  }

  @Test
  void everyAgentMistakeIsAnObservation() {
    assertThat(error("open_browser", "{}"))
        .isEqualTo("Error: there is no tool 'open_browser'; the tools are view_directory, search_files, search_code, view_file,"
            + " str_replace_editor, run_shell, run_tests, submit.");
    assertThat(error("view_file", "{\"path\": ")).startsWith("Error: the arguments of view_file are not valid JSON: ");
    assertThat(error("view_file", "[1]")).isEqualTo("Error: arguments must be a JSON object, got array");
    assertThat(error("view_file", "{}")).isEqualTo("Error: missing required argument 'path'");
    assertThat(error("view_file", "{\"path\": 7}")).isEqualTo("Error: argument 'path' must be a string, got number");
    assertThat(error("view_file", "{\"path\": \"nope.py\"}")).isEqualTo("Error: 'nope.py' does not exist");
    assertThat(error("str_replace_editor", "{\"command\": \"rename\", \"path\": \"a\"}")).contains("unknown command 'rename'");
  }

  @Test
  void refusesPathsOutsideTheRepositoryIncludingThroughLinks() {
    sandbox.exec("ln -s /tmp outside", Duration.ofSeconds(10));
    assertThat(error("view_file", "{\"path\": \"../../etc/passwd\"}")).isEqualTo("Error: path '../../etc/passwd' leaves the repository");
    assertThat(error("view_file", "{\"path\": \"/etc/passwd\"}")).isEqualTo("Error: path '/etc/passwd' must be relative to the repository");
    assertThat(error("view_directory", "{\"path\": \"outside\"}")).isEqualTo("Error: 'outside' resolves outside the repository");
    assertThat(error("search_files", "{\"pattern\": \"x\", \"path\": \"outside\"}")).contains("resolves outside the repository");
    assertThat(error("str_replace_editor", "{\"command\": \"create\", \"path\": \"outside/planted.py\", \"file_text\": \"x\"}"))
        .isEqualTo("Error: 'outside/planted.py' resolves outside the repository");
    assertThat(error("str_replace_editor", "{\"command\": \"create\", \"path\": \"../planted.py\", \"file_text\": \"x\"}"))
        .isEqualTo("Error: path '../planted.py' leaves the repository");
    assertThat(sandbox.exec("ls /tmp/planted.py ../planted.py 2>&1 | grep -c 'No such file'", Duration.ofSeconds(10)).stdout().strip())
        .isEqualTo("2");
  }

  @Test
  void submitEndsTheEpisode() {
    assertThat(context.submitted()).isFalse();
    assertThat(ok("submit", "{}")).isEqualTo("Submitted. The episode ends here.");
    assertThat(context.submitted()).isTrue();
  }

  @Test
  void countsCallsByToolAndStatus() {
    ok("view_file", "{\"path\": \"calc/__init__.py\"}");
    error("view_file", "{}");
    error("view_file", "{\"path\": \"missing\"}");
    error("teleport", "{}");
    assertThat(metrics.counter(ToolBox.CALLS_METRIC, "tool", "view_file", "status", "ok").count()).isEqualTo(1.0);
    assertThat(metrics.counter(ToolBox.CALLS_METRIC, "tool", "view_file", "status", "error").count()).isEqualTo(2.0);
    assertThat(metrics.counter(ToolBox.CALLS_METRIC, "tool", "unknown", "status", "error").count()).isEqualTo(1.0);
  }
}
