package dev.crucible.rollout.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class DockerToolsTest extends ToolsContractTest {
  @Override
  protected Sandbox create(SandboxSpec spec) {
    return DockerSandbox.create(DockerTestSupport.client(), spec);
  }

  @Test
  void runTestsSummarizesPytest() {
    assertThat(ok("run_tests", "{}")).isEqualTo("Tests: 1 passed (exit code 0).\n");
    ok("str_replace_editor", "{\"command\": \"str_replace\", \"path\": \"calc/__init__.py\", \"old_str\": \"a + b\", \"new_str\": \"a - b\"}");
    assertThat(ok("run_tests", "{}"))
        .startsWith("Tests: 1 failed (exit code 1).\nFailing:\n  tests/test_calc.py::test_add\nOutput (end):\n")
        .contains("assert -1 == 3");
  }

  @Test
  void runTestsNeedsATestCommand() {
    ToolContext withoutTests = new ToolContext(sandbox, null, java.time.Duration.ofMinutes(30));
    ToolBox.Observation observation = tools.call("run_tests", "{}", withoutTests);
    assertThat(observation.text()).isEqualTo("Error: this task has no test command; use run_shell");
  }
}
