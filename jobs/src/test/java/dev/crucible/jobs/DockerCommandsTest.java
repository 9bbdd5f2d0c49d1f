package dev.crucible.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.docker.DockerClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The commands that talk to the Docker daemon, run as a user would. */
@Tag("docker")
class DockerCommandsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void requireDocker() {
    if (System.getenv("CRUCIBLE_REQUIRE_DOCKER") != null) {
      DockerClients.requireDaemon(DockerClients.fromEnvironment());
    } else {
      Assumptions.assumeTrue(DockerClients.daemonAvailable(DockerClients.fromEnvironment()), "no Docker daemon");
    }
  }

  private int run(String... args) {
    picocli.CommandLine command = CrucibleCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void imagesBuildKeepsAnUpToDateImage() {
    // The rollout module's tests built the image earlier in the same build.
    assertThat(run("images", "build")).isZero();
  }

  @Test
  void sandboxGcReportsWhatItFound() {
    assertThat(run("sandbox", "gc")).isZero();
    assertThat(out.toString()).startsWith("sandbox gc: ").contains(" sandbox containers, removed ");
  }

  @Test
  void benchSandboxPrintsBothSidesAndTheirRatios() throws Exception {
    assertThat(run("bench", "sandbox", "--n", "2", "--concurrency", "1")).isZero();
    JsonNode figures = new ObjectMapper().readTree(out.toString());
    for (String phase : new String[] {"create", "exec", "close"}) {
      double ours = figures.get(phase + "_p50_ms").asDouble();
      double cli = figures.get("cli_" + phase + "_p50_ms").asDouble();
      assertThat(ours).as(phase).isPositive();
      assertThat(cli).as("cli " + phase).isPositive();
      assertThat(figures.get(phase + "_ratio").asDouble()).isCloseTo(cli / ours, org.assertj.core.data.Percentage.withPercentage(3));
    }
    assertThat(figures.get("n").asInt()).isEqualTo(2);
  }

  @Test
  void benchEvaluatePrintsBothRatesAndTheOverhead() throws Exception {
    assertThat(run("bench", "evaluate", "--n", "2", "--max-workers", "1")).as(err.toString()).isZero();
    JsonNode figures = new ObjectMapper().readTree(out.toString());
    double ours = figures.get("instances_per_min").asDouble();
    double bare = figures.get("bare_instances_per_min").asDouble();
    assertThat(ours).isPositive();
    assertThat(bare).isPositive();
    assertThat(figures.get("overhead").asDouble()).isCloseTo(bare / ours - 1, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void tasksGenerateThenValidate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) throws Exception {
    java.nio.file.Path tasks = temp.resolve("tasks.jsonl");
    assertThat(run("tasks", "generate", "--repo", "../examples/repos/datakit", "--out", tasks.toString(), "--max", "4",
            "--hint", "fix", "--held-out", "1"))
        .as(err.toString())
        .isZero();
    java.nio.file.Path heldOut = temp.resolve("tasks.held-out.jsonl");
    assertThat(out.toString()).startsWith("wrote 3 tasks (hint fix) to " + tasks).contains("wrote 1 held-out tasks to " + heldOut);
    JsonNode first = new ObjectMapper().readTree(java.nio.file.Files.readAllLines(tasks).get(0));
    assertThat(first.get("mutation_kind").asText()).isNotBlank();
    assertThat(first.get("repo").asText()).isEqualTo("local/datakit");
    assertThat(first.get("hint_level").asText()).isEqualTo("fix");
    assertThat(first.get("problem_statement").asText()).contains("The fix:\nin " + first.get("mutation_file").asText() + " replace\n");
    JsonNode held = new ObjectMapper().readTree(java.nio.file.Files.readString(heldOut));
    assertThat(java.nio.file.Files.readString(tasks)).doesNotContain(held.get("instance_id").asText() + "\"");

    out.getBuffer().setLength(0);
    assertThat(run("tasks", "validate", "--tasks", tasks.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("3 of 3 tasks valid");

    java.nio.file.Path broken = temp.resolve("broken.jsonl");
    ObjectNode task = (ObjectNode) first;
    task.put("patch", "");
    java.nio.file.Files.writeString(broken, task.toString() + "\n");
    out.getBuffer().setLength(0);
    assertThat(run("tasks", "validate", "--tasks", broken.toString(), "--repos", temp.resolve("repos").toString())).isEqualTo(1);
    assertThat(out.toString()).contains("empty_patch").contains("NO: gold patch").contains("0 of 1 tasks valid");
  }

  @Test
  void benchRolloutPrintsBothRatesAndTheOverhead() throws Exception {
    assertThat(run("bench", "rollout", "--episodes", "2", "--max-workers", "1")).as(err.toString()).isZero();
    JsonNode figures = new ObjectMapper().readTree(out.toString());
    double ours = figures.get("episodes_per_min").asDouble();
    double bare = figures.get("bare_episodes_per_min").asDouble();
    assertThat(ours).isPositive();
    assertThat(bare).isPositive();
    assertThat(figures.get("overhead").asDouble()).isCloseTo(bare / ours - 1, org.assertj.core.data.Offset.offset(0.01));
  }
}
