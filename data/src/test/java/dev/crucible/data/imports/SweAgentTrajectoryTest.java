package dev.crucible.data.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweAgentTrajectoryTest {
  @TempDir Path temp;

  private static Path fixture() throws Exception {
    return Path.of(Objects.requireNonNull(SweAgentTrajectoryTest.class.getResource("/imports/fixture__textops-1.traj")).toURI());
  }

  @Test
  void aFunctionCallingTrajectoryBecomesTurnsWithItsCallsOnCrucibleToolsWhereTheyMatch() throws Exception {
    SweAgentTrajectory trajectory = SweAgentTrajectory.read(fixture(), SweAgentTrajectory.DEFAULT_ROOT);

    assertThat(trajectory.instanceId()).isEqualTo("fixture__textops-1");
    assertThat(trajectory.exitStatus()).isEqualTo("submitted");
    assertThat(trajectory.submission()).startsWith("diff --git a/textops/words.py").contains("+    return len(text.split())");
    assertThat(trajectory.mappedCalls()).as("view, str_replace, bash, submit").isEqualTo(4);
    assertThat(trajectory.textCalls()).as("find_file, and a view outside the repository").isEqualTo(2);
    List<Turn> turns = trajectory.turns();
    assertThat(turns).extracting(Turn::role).containsExactly(
        "system", "user", "assistant", "tool", "assistant", "user", "assistant", "tool", "assistant", "tool", "assistant", "user", "assistant", "tool");
    assertThat(turns).extracting(Turn::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    assertThat(turns.get(1).content()).as("the content blocks joined; the demonstration left out")
        .isEqualTo("<uploaded_files>\n/testbed\n</uploaded_files>\ncount_words miscounts repeated spaces.");
    assertThat(turns.get(2).toolName()).isEqualTo("str_replace_editor");
    assertThat(turns.get(2).toolArguments()).isEqualTo("{\"command\":\"view\",\"path\":\"textops/words.py\"}");
    assertThat(turns.get(3).toolName()).isEqualTo("str_replace_editor");
    assertThat(turns.get(3).observation()).contains("def count_words(text):");
    assertThat(turns.get(4).toolName()).as("find_file has no match: kept as text").isNull();
    assertThat(turns.get(4).content()).isEqualTo("Find the tests.\n\n```\nfind_file test_words.py\n```");
    assertThat(turns.get(5).content()).startsWith("Found 1 matches");
    assertThat(turns.get(6).toolArguments())
        .isEqualTo("{\"command\":\"str_replace\",\"path\":\"textops/words.py\",\"old_str\":\"text.split(\\\" \\\")\",\"new_str\":\"text.split()\"}");
    assertThat(turns.get(8).toolName()).isEqualTo("run_shell");
    assertThat(turns.get(8).toolArguments()).isEqualTo("{\"command\":\"python -m pytest -q tests\"}");
    assertThat(turns.get(10).toolName()).as("a path outside the repository matches nothing").isNull();
    assertThat(turns.get(12).toolName()).isEqualTo("submit");
    assertThat(turns).allSatisfy(turn -> assertThat(turn.tokenIds()).isEmpty());
  }

  @Test
  void pathsAreMadeRelativeToTheRepositoryRoot() {
    assertThat(SweAgentTrajectory.relative("/testbed", "/testbed")).isEqualTo(".");
    assertThat(SweAgentTrajectory.relative("/testbed/a/b.py", "/testbed/")).isEqualTo("a/b.py");
    assertThat(SweAgentTrajectory.relative("a/b.py", "/testbed")).isEqualTo("a/b.py");
    assertThat(SweAgentTrajectory.relative("/testbedx/a.py", "/testbed")).isNull();
    assertThat(SweAgentTrajectory.relative("../etc/passwd", "/testbed")).isNull();
    assertThat(SweAgentTrajectory.mapCall("bash", "not json", "/testbed")).isNull();
    assertThat(SweAgentTrajectory.mapCall("bash", "{\"command\": 3}", "/testbed")).isNull();
    assertThat(SweAgentTrajectory.mapCall("submit", "", "/testbed")).isEqualTo(new SweAgentTrajectory.Call("submit", "{}"));
  }

  @Test
  void aFileThatIsNoTrajectoryIsNamedWithItsField() throws Exception {
    Path notJson = temp.resolve("a.traj");
    Files.writeString(notJson, "{not json");
    assertThatThrownBy(() -> SweAgentTrajectory.read(notJson, "/testbed")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(notJson.toString()).hasMessageContaining("not readable as JSON");
    Path noHistory = temp.resolve("b.traj");
    Files.writeString(noHistory, "{\"trajectory\": []}");
    assertThatThrownBy(() -> SweAgentTrajectory.read(noHistory, "/testbed")).hasMessageContaining("field 'history'");
    Path badRole = temp.resolve("c.traj");
    Files.writeString(badRole, "{\"history\": [{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"robot\", \"content\": \"x\"}]}");
    assertThatThrownBy(() -> SweAgentTrajectory.read(badRole, "/testbed")).hasMessageContaining("field 'history[1].role'")
        .hasMessageContaining("unknown role 'robot'");
  }
}
