package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedPolicyTest {
  private static final String GOLD = """
      diff --git a/kit/num.py b/kit/num.py
      --- a/kit/num.py
      +++ b/kit/num.py
      @@ -1,3 +1,3 @@ def clamp(x, low, high):
       def clamp(x, low, high):
      -    if x <= low:
      +    if x < low:
               return low
      """;

  private static TaskInstance task(HintLevel hint) {
    return task(hint, "tests fail");
  }

  private static TaskInstance task(HintLevel hint, String problemStatement) {
    return new TaskInstance("t-1", "local/kit", "abc", problemStatement, "", GOLD, "", List.of("tests/test_num.py::test_clamp"), List.of(),
        "0", null, null, null, null, "pytest", hint);
  }

  private static List<String> tools(ScriptedPolicy policy) {
    ArrayNode offered = new ObjectMapper().createArrayNode();
    List<String> calls = new ArrayList<>();
    for (int step = 0; step < 12 && !calls.contains("submit"); step++) {
      calls.add(policy.next(List.of(), offered).toolName());
    }
    return calls;
  }

  @Test
  void givenTheFixItAppliesItAndSubmits() {
    ScriptedPolicy policy = new ScriptedPolicy(task(HintLevel.FIX), 0);
    assertThat(tools(policy)).containsExactly("str_replace_editor", "submit");
  }

  @Test
  void itCopiesTheEditTheHintShows() throws Exception {
    PatchHunk shown = new PatchHunk("kit/num.py", "    if x <= low:\n", "    if x < low:\n", null);
    ScriptedPolicy policy = new ScriptedPolicy(task(HintLevel.FIX, "tests fail\n" + FixHint.render(List.of(shown))), 0);
    PolicyResponse edit = policy.next(List.of(), new ObjectMapper().createArrayNode());
    var arguments = new ObjectMapper().readTree(edit.toolArguments());
    assertThat(arguments.path("path").asText()).isEqualTo("kit/num.py");
    assertThat(arguments.path("old_str").asText()).isEqualTo("    if x <= low:\n");
    assertThat(arguments.path("new_str").asText()).isEqualTo("    if x < low:\n");
  }

  @Test
  void otherwiseItExploresEditsAndRunsTheTests() {
    for (long seed = 0; seed < 4; seed++) {
      List<String> calls = tools(new ScriptedPolicy(task(HintLevel.LINE), seed));
      assertThat(calls).startsWith("view_directory").contains("view_file").endsWith("str_replace_editor", "run_tests", "submit");
    }
  }

  @Test
  void fastModeLooksOnlyForWhatTheHintLeavesOut() {
    assertThat(tools(new ScriptedPolicy(task(HintLevel.FIX), 0, Mode.FAST))).containsExactly("str_replace_editor", "submit");
    assertThat(tools(new ScriptedPolicy(task(HintLevel.LINE), 0, Mode.FAST)))
        .containsExactly("view_file", "str_replace_editor", "run_tests", "submit");
    assertThat(tools(new ScriptedPolicy(task(HintLevel.NONE), 0, Mode.FAST)))
        .containsExactly("search_files", "view_file", "str_replace_editor", "run_tests", "submit");
  }

  @Test
  void deepModeExploresEverythingEvenWhenTheFixIsGiven() {
    assertThat(tools(new ScriptedPolicy(task(HintLevel.FIX), 0, Mode.DEEP))).containsExactly(
        "view_directory", "search_files", "view_file", "view_file", "run_tests", "str_replace_editor", "run_tests", "submit");
  }

  @Test
  void eachResponseCountsTheTokensOfItsMessageSoDeepCostsMore() {
    ScriptedPolicy fast = new ScriptedPolicy(task(HintLevel.FIX), 0, Mode.FAST);
    ScriptedPolicy deep = new ScriptedPolicy(task(HintLevel.FIX), 0, Mode.DEEP);
    PolicyResponse first = fast.next(List.of(), new ObjectMapper().createArrayNode());
    assertThat(first.tokenIds()).as("no token ids: nothing was sampled").isEmpty();
    assertThat(first.generatedTokens()).isPositive().isEqualTo(first.countedTokens());
    assertThat(tokens(deep)).isGreaterThan(3 * (first.generatedTokens() + tokens(fast)));
  }

  private static int tokens(ScriptedPolicy policy) {
    int tokens = 0;
    for (int step = 0; step < 12; step++) {
      PolicyResponse response = policy.next(List.of(), new ObjectMapper().createArrayNode());
      tokens += response.generatedTokens();
      if ("submit".equals(response.toolName())) {
        return tokens;
      }
    }
    throw new AssertionError("no submit in 12 steps");
  }
}
