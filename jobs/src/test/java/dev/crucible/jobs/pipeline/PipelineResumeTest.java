package dev.crucible.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed in the middle of a stage (SIGKILL: no shutdown hook, no clean-up) and the same
 * command run again: finished stages are skipped, the interrupted one carries on from its last
 * checkpoint, and every optimizer step is in the metrics exactly once.
 */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class PipelineResumeTest {
  private static final int STEPS = 40;

  @TempDir Path temp;

  @Test
  void aKilledDriverResumesAtTheStageAndStepWhereItStopped() throws Exception {
    Path config = temp.resolve("pipeline.yaml");
    Files.writeString(config, "run_id: resume\nruns_dir: " + temp.resolve("runs") + "\n"
        + "generate: {repositories: [" + Path.of("../examples/repos/textkit").toAbsolutePath().normalize() + "], tasks_per_repository: 2, hint: fix}\n"
        + "spark: {master: 'local[2]'}\n"
        + "rollout: {policy: scripted, mode: fast, samples: 1, max_workers: 2}\n"
        + "sft:\n"
        + "  model: {random: {hidden_size: 32, intermediate_size: 64, layers: 1, heads: 2, kv_heads: 1, context: 2048, seed: 0}}\n"
        + "  training: {sequence_length: 2048, batch_size: 1, max_steps: " + STEPS + ", learning_rate: 1.0e-3, warmup_steps: 0,"
        + " checkpoint_every: 4, log_every: 4}\n");

    List<String> seen = runUntilKilled(config, "sft checkpoint");
    assertThat(seen).anyMatch(line -> line.equals("pipeline: stage sft"));

    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    String summary = new Pipeline(PipelineConfig.load(config), new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    String log = progress.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("resuming run", "pipeline: tasks finished in an earlier run", "pipeline: rollout finished in an earlier run",
        "pipeline: sft done in").doesNotContain("tasks: 2 tasks generated", "rollout: 2 tasks");
    Matcher resumed = Pattern.compile("sft resuming after step (\\d+)").matcher(log);
    assertThat(resumed.find()).as(log).isTrue();
    assertThat(Integer.parseInt(resumed.group(1))).as("from a checkpoint the killed driver wrote").isBetween(4, STEPS - 1);
    assertThat(summary).containsPattern("tasks +[0-9.]+ s  \\(an earlier run\\)").containsPattern("sft +[0-9.]+ s\\n");
    assertThat(temp.resolve("runs/resume/sft/final")).isDirectory();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery("SELECT count(*), count(DISTINCT step), min(step), max(step) FROM read_parquet('"
            + temp.resolve("runs/resume/sft/metrics") + "/**/*.parquet')")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).as("each step once, none lost, none twice").isEqualTo(STEPS);
      assertThat(rows.getLong(2)).isEqualTo(STEPS);
      assertThat(rows.getLong(3)).isEqualTo(1);
      assertThat(rows.getLong(4)).isEqualTo(STEPS);
    }
  }

  /** {@code crucible pipeline --config FILE} in a JVM of its own, killed as soon as it prints a line with {@code marker}. */
  private static List<String> runUntilKilled(Path config, String marker) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(argument -> argument.startsWith("--add-") || argument.startsWith("-D") || argument.startsWith("-Xmx"))
        .forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.crucible.jobs.CrucibleCommand", "pipeline", "--config",
        config.toString()));
    Process driver = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
        if (line.contains(marker)) {
          driver.destroyForcibly().waitFor();
          return lines;
        }
      }
    }
    throw new AssertionError("the driver ended (exit " + driver.waitFor() + ") before printing '" + marker + "':\n" + String.join("\n", lines));
  }
}
