package dev.crucible.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arguments of {@code crucible tasks generate} that are refused before any sandbox starts. */
class TasksCommandTest {
  @TempDir Path temp;

  private Cli.Result generate(String... extra) {
    String[] base = {"tasks", "generate", "--repo", "../examples/repos/datakit", "--out", temp.resolve("tasks.jsonl").toString(), "--max", "3"};
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(args);
  }

  @Test
  void namesTheKnownHintLevels() {
    Cli.Result result = generate("--hint", "everything");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--hint: unknown hint level 'everything'; known: none, file, function, line, fix");
  }

  @Test
  void refusesToHoldOutEveryTask() {
    Cli.Result result = generate("--held-out", "3");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--held-out must be at least 0 and below --max (3), got 3");
  }

  @Test
  void namesTheHeldOutFileAfterTheTaskFile() {
    assertThat(TasksCommand.heldOutFile(Path.of("runs/x/tasks.jsonl"))).isEqualTo(Path.of("runs/x/tasks.held-out.jsonl"));
  }
}
