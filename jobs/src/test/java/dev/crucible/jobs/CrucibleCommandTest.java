package dev.crucible.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.Trajectory;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CrucibleCommandTest {
  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = CrucibleCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void unknownOptionExitsWithUsageCodeAndOneLine() {
    assertThat(run("inspect", "--colour", "x")).isEqualTo(CrucibleCommand.EXIT_USAGE);
    assertThat(err.toString())
        .isEqualTo("inspect: Unknown option: '--colour' (see 'crucible inspect --help')" + System.lineSeparator());
  }

  @Test
  void badOptionValueExitsWithUsageCodeAndOneLine() {
    assertThat(run("bench", "parquet", "--rows", "many")).isEqualTo(CrucibleCommand.EXIT_USAGE);
    assertThat(err.toString().lines()).singleElement().asString()
        .startsWith("parquet: Invalid value for option '--rows': 'many' is not an int");
  }

  @Test
  void outOfRangeValueExitsWithUsageCode() {
    assertThat(run("bench", "parquet", "--rows", "0")).isEqualTo(CrucibleCommand.EXIT_USAGE);
    assertThat(err.toString())
        .isEqualTo("parquet: --rows must be at least 1, got 0 (see 'crucible bench parquet --help')" + System.lineSeparator());
  }

  @Test
  void missingSubcommandIsAUsageError() {
    assertThat(run()).isEqualTo(CrucibleCommand.EXIT_USAGE);
    assertThat(err.toString()).startsWith("crucible: missing subcommand");
  }

  @Test
  void helpListsTheSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("inspect", "bench", "pipeline");
  }

  @Test
  void inspectOfAMissingPathFailsNamingIt() {
    Path missing = temp.resolve("nothing-here");
    assertThat(run("inspect", missing.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err.toString())
        .isEqualTo("error: " + missing + ": no such file or directory" + System.lineSeparator());
  }

  @Test
  void inspectSummarizesATaskFile() {
    assertThat(run("inspect", "../examples/tasks/sample.jsonl")).isZero();
    assertThat(out.toString()).startsWith("tasks: 4 in 1 repositories").contains("crucible/textkit");
  }

  @Test
  void inspectSummarizesARunPerIteration() {
    TrajectoryStore store = new TrajectoryStore(new org.apache.hadoop.fs.Path(temp.resolve("run-i").toString()), new Configuration());
    SyntheticTrajectories samples = new SyntheticTrajectories(6, 50);
    for (int iteration = 0; iteration < 2; iteration++) {
      List<Trajectory> episodes = new java.util.ArrayList<>();
      for (int task = 0; task < 5; task++) {
        episodes.add(samples.episode("run-i", iteration, "t" + task, 0, 9L));
      }
      store.trajectoryTable().writePart(TrajectoryStore.iterationPartition(iteration), episodes);
    }
    assertThat(run("inspect", temp.resolve("run-i").toString())).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(1)).isEqualTo("trajectories: 10 episodes in " + temp.resolve("run-i/trajectories"));
    assertThat(lines.get(2)).isEqualTo("policy versions: synthetic (10)");
    assertThat(lines.get(4)).startsWith("0                5");
    assertThat(lines.get(5)).startsWith("1                5");
    assertThat(lines.get(6)).startsWith("all             10");
  }
}
