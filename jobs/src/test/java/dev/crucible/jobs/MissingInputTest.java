package dev.crucible.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command that reads a file or folder the user names answers a missing or unusable one with one
 * line that names it and exit code 1, before any Spark job or model engine starts: no stack trace.
 */
class MissingInputTest {
  private static final String TASKS = "../examples/tasks/sample.jsonl";

  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** A command line and the path its one line of error must name, both given the test's folder. */
  record Case(String name, Function<Path, List<String>> args, Function<Path, String> named) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case("evaluate --tasks", t -> List.of("evaluate", "--tasks", t + "/none.jsonl", "--predictions", TASKS,
                "--run-id", "r", "--out", t + "/out"), t -> t + "/none.jsonl"),
            new Case("evaluate --predictions", t -> List.of("evaluate", "--tasks", TASKS, "--predictions",
                t + "/none.jsonl", "--run-id", "r", "--out", t + "/out"), t -> t + "/none.jsonl"),
            new Case("evaluate --predictions a folder", t -> List.of("evaluate", "--tasks", TASKS, "--predictions",
                t.toString(), "--run-id", "r", "--out", t + "/out"), Path::toString),
            new Case("rollout --tasks", t -> List.of("rollout", "--tasks", t + "/none.jsonl", "--policy", "scripted",
                "--out", t + "/run"), t -> t + "/none.jsonl"),
            new Case("tasks validate --tasks", t -> List.of("tasks", "validate", "--tasks", t + "/none.parquet"),
                t -> t + "/none.parquet"),
            new Case("tasks generate --repo", t -> List.of("tasks", "generate", "--repo", t + "/no-repo",
                "--out", t + "/tasks.jsonl"), t -> t + "/no-repo"),
            new Case("pipeline --config", t -> List.of("pipeline", "--config", t + "/none.yaml"), t -> t + "/none.yaml"),
            new Case("train sft --config", t -> List.of("train", "sft", "--config", t + "/none.yaml"), t -> t + "/none.yaml"),
            new Case("serve --checkpoint", t -> List.of("serve", "--checkpoint", t + "/no-checkpoint"),
                t -> t + "/no-checkpoint"),
            new Case("inspect", t -> List.of("inspect", t + "/no-run"), t -> t + "/no-run"),
            new Case("tokenizer train --corpus", t -> List.of("tokenizer", "train", "--corpus", t + "/no-corpus",
                "--out", t + "/tokenizer.json"), t -> t + "/no-corpus"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMissingInputIsOneLineNamingIt(Case input) {
    assertThat(run(input.args().apply(temp))).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err.toString().lines()).singleElement().asString()
        .startsWith("error: " + input.named().apply(temp) + ": ")
        .doesNotContain("Exception");
  }

  @Test
  void aPipelineConfigNamingAMissingTaskFileFailsNamingIt() throws IOException {
    Path config = Files.writeString(temp.resolve("pipeline.yaml"), "run_id: r\nruns_dir: " + temp + "\ntasks: " + temp + "/none.jsonl\n");
    assertThat(run(List.of("pipeline", "--config", config.toString()))).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err.toString()).isEqualTo("error: " + temp + "/none.jsonl: no such file or directory" + System.lineSeparator());
  }

  @Test
  void aPipelineConfigNamingAMissingRepositoryFailsNamingItBeforeTouchingTheRun() throws IOException {
    Path config = Files.writeString(temp.resolve("pipeline.yaml"),
        "run_id: r\nruns_dir: " + temp + "/runs\ngenerate:\n  repositories: [" + temp + "/no-repo]\n");
    assertThat(run(List.of("pipeline", "--config", config.toString()))).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err.toString()).isEqualTo("error: " + temp + "/no-repo: no such file or directory" + System.lineSeparator());
    assertThat(temp.resolve("runs")).doesNotExist();
  }

  @Test
  void aTrainConfigNamesEveryMissingInputWithItsLine() throws IOException {
    Path config = Files.writeString(temp.resolve("train.yaml"),
        "output: " + temp + "/out\nmodel:\n  checkpoint: " + temp + "/no-checkpoint\ndata:\n  runs: [" + temp + "/no-run]\n");
    assertThat(run(List.of("train", "sft", "--config", config.toString()))).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err.toString().lines()).containsExactly(
        "error: invalid input",
        "  " + config + ":3: field 'model.checkpoint': " + temp + "/no-checkpoint: no such file or directory",
        "  " + config + ":5: field 'data.runs': " + temp + "/no-run/trajectories: no such file or directory");
  }

  private int run(List<String> args) {
    CommandLine command = CrucibleCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args.toArray(String[]::new));
  }
}
