package dev.crucible.rollout.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.reward.swebench.EvalScript;
import dev.crucible.rollout.evaluation.OfficialLayoutImage;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.process.ProcessSandbox;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.rollout.tools.ToolContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandboxes whose workdir is a SWE-bench image's own {@code /testbed}, in an image built offline in the
 * official layout ({@link OfficialLayoutImage}) that stands in for a pulled one: the repository root-owned
 * at {@code /testbed} with its whole history (the fix included) and a conda activation script.
 */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class ImageTreeSandboxTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  @TempDir static Path temp;
  private static OfficialLayoutImage fixture;

  @BeforeAll
  static void buildImage() {
    fixture = OfficialLayoutImage.build(temp, "crucible-test/sweb.eval.textops:image-tree");
  }

  /** The Docker runtime the sandboxes run under; null for the daemon's default. */
  protected String runtime() {
    return null;
  }

  private SandboxSpec spec() {
    return SandboxSpec.builder().image(fixture.image()).imageTree("/testbed", EvalScript.activation(fixture.evalScript()))
        .runId("image-tree").taskId("fixture__textops-1").build().withRuntime(runtime());
  }

  @Test
  void theAgentWorksInTheImagesTestbedAsItsOwnUserWithNoHistoryBeyondTheBase() {
    try (Sandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), spec())) {
      assertThat(sandbox.workdir()).isEqualTo("/testbed");
      assertThat(new String(sandbox.readFile("textops/words.py"), StandardCharsets.UTF_8)).contains(SampleTask.BUGGY_LINE);
      ExecResult who = sandbox.exec("id -u; pwd; find textops/words.py -printf '%U\\n'; git log --all --oneline | wc -l; touch new.txt && echo wrote", TIMEOUT);
      // The image's .git held the fixing commit; the agent's repository has the base alone.
      assertThat(who.stdout()).as(who.stderr()).isEqualTo("1000\n/testbed\n1000\n1\nwrote\n");
    }
  }

  @Test
  void commandsSeeTheActivatedEnvironmentAndTheChangeIsADiffOfTheTestbed() {
    try (Sandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), spec())) {
      ExecResult environment = sandbox.exec("echo \"$CONDA_DEFAULT_ENV $HOME\"", TIMEOUT);
      assertThat(environment.stdout()).isEqualTo("testbed /tmp\n");

      ExecResult tests = sandbox.exec(EvalScript.testCommand(fixture.evalScript()).orElseThrow(), TIMEOUT);
      assertThat(tests.stdout()).contains("FAILED tests/test_words.py::test_count_words", "PASSED tests/test_words.py::test_shout");

      sandbox.writeFile("textops/words.py",
          new String(sandbox.readFile("textops/words.py"), StandardCharsets.UTF_8).replace(SampleTask.BUGGY_LINE, "    return len(text.split())")
              .getBytes(StandardCharsets.UTF_8));
      assertThat(sandbox.diff()).startsWith("diff --git a/textops/words.py b/textops/words.py\n")
          .contains("\n-" + SampleTask.BUGGY_LINE + "\n+    return len(text.split())\n")
          .doesNotContain("new.txt", ".git/");
    }
  }

  @Test
  void searchFilesFallsBackToGrepInAnImageWithoutRipgrep() {
    try (Sandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), spec())) {
      assertThat(sandbox.exec("command -v rg || echo none", TIMEOUT).stdout()).isEqualTo("none\n");
      ToolBox tools = ToolBox.standard(new SimpleMeterRegistry());
      ToolContext context = new ToolContext(sandbox, null, TIMEOUT);
      assertThat(tools.call("search_files", "{\"pattern\": \"def count_\\\\w+\\\\(\"}", context).text())
          .isEqualTo("1 match for 'def count_\\w+\\(':\ntextops/words.py:1:def count_words(text):\n");
      assertThat(tools.call("search_files", "{\"pattern\": \"count_words\", \"glob\": \"test_*.py\", \"path\": \"tests\"}", context).text())
          .startsWith("4 matches for 'count_words':\ntests/test_words.py:1:from textops.words import count_words");
      assertThat(tools.call("search_files", "{\"pattern\": \"nowhere_to_be_found\"}", context).text())
          .isEqualTo("No matches for 'nowhere_to_be_found' in ..");
      assertThat(tools.call("search_files", "{\"pattern\": \"(unclosed\"}", context).text()).startsWith("Error: search failed: ");
    }
  }

  @Test
  void anImageWithoutTheFolderIsAnImageErrorAndTheProcessBackendRefusesImageTrees() {
    SandboxSpec missing = SandboxSpec.builder().image(fixture.image()).imageTree("/nowhere", "").build();
    assertThatThrownBy(() -> DockerSandbox.create(DockerTestSupport.client(), missing))
        .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.kind()).isEqualTo(SandboxException.Kind.IMAGE_NOT_FOUND))
        .hasMessageContaining("has no /nowhere or it is empty");
    assertThatThrownBy(() -> ProcessSandbox.create(spec()))
        .isInstanceOf(SandboxException.class).hasMessageContaining("needs the docker backend");
  }

  @Test
  void anImageTreeIsAPlainAbsoluteFolderOutsideTheSandboxsOwnMounts() {
    for (String folder : new String[] {"testbed", "/", "/tmp", "/tmp/testbed", "/crucible", "/a/../etc", "/test bed"}) {
      assertThatThrownBy(() -> SandboxSpec.builder().imageTree(folder, "").build()).as(folder).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> SandboxSpec.builder().repository(temp).imageTree("/testbed", "").build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
