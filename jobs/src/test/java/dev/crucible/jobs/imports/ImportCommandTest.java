package dev.crucible.jobs.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.jobs.Cli;
import dev.crucible.jobs.CrucibleCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible import swe-agent} on trajectory files written in SWE-agent's format for these tests
 * (data/src/test/resources/imports), graded by reports in the harness's format; the table is read back
 * by DuckDB and trained on by {@code crucible train sft}.
 */
class ImportCommandTest {
  private static final Path FIXTURE = Path.of("../data/src/test/resources/imports/fixture__textops-1.traj");
  private static final Path OPENHANDS = Path.of("../data/src/test/resources/imports/openhands-output.jsonl");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path temp;

  /** Three episodes: one resolved by its report, one without a patch, one submitted but with no report. */
  private Path trajectories() throws Exception {
    Path folder = temp.resolve("trajectories/default");
    Files.createDirectories(folder);
    Files.copy(FIXTURE, folder.resolve("fixture__textops-1.traj"));
    ObjectNode noPatch = (ObjectNode) MAPPER.readTree(FIXTURE.toFile());
    ((ObjectNode) noPatch.get("info")).put("submission", "").put("exit_status", "exit_cost");
    Files.writeString(folder.resolve("fixture__textops-2.traj"), noPatch.toString());
    Files.copy(FIXTURE, folder.resolve("fixture__textops-3.traj"));
    Path report = temp.resolve("reports/fixture__textops-1/report.json");
    Files.createDirectories(report.getParent());
    Files.writeString(report, """
        {
            "fixture__textops-1": {
                "patch_is_None": false,
                "patch_exists": true,
                "patch_successfully_applied": true,
                "resolved": true,
                "infra_failure": false,
                "tests_status": {
                    "FAIL_TO_PASS": {"success": ["tests/test_words.py::test_count_words"], "failure": []},
                    "PASS_TO_PASS": {"success": ["tests/test_words.py::test_shout"], "failure": []},
                    "FAIL_TO_FAIL": {"success": [], "failure": []},
                    "PASS_TO_FAIL": {"success": [], "failure": []}
                }
            }
        }""");
    return temp.resolve("trajectories");
  }

  @Test
  void sweAgentTrajectoriesBecomeATableThatAnotherEngineReadsAndSftTrainsOn() throws Exception {
    Path run = temp.resolve("runs/imported");
    Cli.Result imported = Cli.run("import", "swe-agent", trajectories().toString(), "--out", run.toString(), "--reports",
        temp.resolve("reports").toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("import: 3 episodes in " + run);

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery("SELECT task_id, outcome, resolved, reward IS NULL, policy_version, len(turns),"
            + " list_filter(turns, t -> t.tool_name = 'run_shell')[1].tool_arguments, outcome_reason FROM read_parquet('"
            + run.resolve("trajectories") + "/**/*.parquet') ORDER BY task_id")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("fixture__textops-1");
      assertThat(rows.getString(2)).isEqualTo("resolved");
      assertThat(rows.getBoolean(3)).isTrue();
      assertThat(rows.getBoolean(4)).as("graded: a reward").isFalse();
      assertThat(rows.getString(5)).isEqualTo("swe-agent");
      assertThat(rows.getInt(6)).isEqualTo(14);
      assertThat(rows.getString(7)).isEqualTo("{\"command\":\"python -m pytest -q tests\"}");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(2)).isEqualTo("agent_error");
      assertThat(rows.getString(8)).contains("submitted no patch", "exit_cost");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(2)).isEqualTo("unresolved");
      assertThat(rows.getBoolean(4)).as("no report: ungraded, no reward").isTrue();
      assertThat(rows.getString(8)).contains("not graded", "fixture__textops-3");
      assertThat(rows.next()).isFalse();
    }

    assertThat(trainSft(run, "sft")).as("only the resolved episode is learned from").contains("sft: 1 episodes");
    assertThat(temp.resolve("sft/final/model.safetensors")).exists();
  }

  /** Runs one step of {@code crucible train sft} on {@code run}'s table into {@code output}; returns what it printed. */
  private String trainSft(Path run, String output) throws Exception {
    Path config = temp.resolve(output + ".yaml");
    Files.writeString(config, "output: " + temp.resolve(output) + "\ndata: {runs: [" + run + "]}\n"
        + "model:\n  random: {hidden_size: 32, intermediate_size: 64, layers: 1, heads: 2, kv_heads: 1, context: 2048}\n"
        + "training: {sequence_length: 2048, batch_size: 1, max_steps: 1, log_every: 1}\n");
    Cli.Result sft = Cli.run("train", "sft", "--config", config.toString());
    assertThat(sft.exitCode()).as(sft.err()).isZero();
    return sft.out();
  }

  @Test
  void sweSmithRowsAreImportedWithTheirResolvedLabel() throws Exception {
    Path rows = temp.resolve("swe-smith.jsonl");
    Files.writeString(rows, String.join("\n",
        "{\"instance_id\": \"o__r.1\", \"model\": \"m\", \"patch\": \"diff --git a/x b/x\\n\", \"resolved\": true, \"traj_id\": \"t1\","
            + " \"messages\": [{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"user\", \"content\": \"fix it\"},"
            + " {\"role\": \"assistant\", \"content\": \"done\"}]}",
        "{\"instance_id\": \"o__r.2\", \"model\": \"m\", \"patch\": \"diff --git a/y b/y\\n\", \"resolved\": false, \"traj_id\": \"t2\","
            + " \"messages\": [{\"role\": \"system\", \"content\": \"s\"}]}") + "\n");
    Path run = temp.resolve("runs/smith");
    assertThat(Cli.run("import", "swe-smith", rows.toString(), "--out", run.toString(), "--reports", temp.toString()).exitCode())
        .as("--reports is for swe-agent files").isEqualTo(CrucibleCommand.EXIT_USAGE);
    Cli.Result imported = Cli.run("import", "swe-smith", rows.toString(), "--out", run.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet result = duck.createStatement().executeQuery("SELECT task_id, outcome, resolved, reward, policy_version, len(turns) FROM read_parquet('"
            + run.resolve("trajectories") + "/**/*.parquet') ORDER BY task_id")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(2)).isEqualTo("resolved");
      assertThat(result.getDouble(4)).isEqualTo(1.0);
      assertThat(result.getString(5)).isEqualTo("swe-smith:m");
      assertThat(result.getInt(6)).isEqualTo(3);
      assertThat(result.next()).isTrue();
      assertThat(result.getString(2)).isEqualTo("unresolved");
      assertThat(result.getObject(4)).as("no test results: ungraded").isNull();
      assertThat(result.next()).isFalse();
    }
  }

  /**
   * OpenHands' SWE-bench output (data/src/test/resources/imports/openhands-output.jsonl, 0.x's event
   * stream written for these tests): one line graded by the harness's report, one that left no change,
   * one graded by OpenHands' own evaluation; the table is read back by DuckDB and trained on.
   */
  @Test
  void openHandsOutputsBecomeATableGradedByReportsOrTheirOwnEvaluation() throws Exception {
    ObjectNode line = (ObjectNode) MAPPER.readTree(Files.readString(OPENHANDS));
    ObjectNode noChange = line.deepCopy().put("instance_id", "fixture__textops-2").put("error", "Agent reached maximum iteration");
    ((ObjectNode) noChange.get("test_result")).put("git_patch", "");
    ObjectNode evaluated = line.deepCopy().put("instance_id", "fixture__textops-3");
    ((ObjectNode) evaluated.get("test_result")).putObject("report").put("resolved", true);
    Path output = temp.resolve("openhands/output.jsonl");
    Files.createDirectories(output.getParent());
    Files.writeString(output, line + "\n" + noChange + "\n" + evaluated + "\n");
    trajectories(); // The reports: fixture__textops-1 resolved.

    Path run = temp.resolve("runs/openhands");
    Cli.Result imported = Cli.run("import", "openhands", output.toString(), "--out", run.toString(), "--reports", temp.resolve("reports").toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery("SELECT task_id, outcome, reward IS NULL, policy_version, len(turns),"
            + " list_filter(turns, t -> t.role = 'assistant' AND t.tool_name = 'str_replace_editor')[2].tool_arguments, outcome_reason FROM read_parquet('"
            + run.resolve("trajectories") + "/**/*.parquet') ORDER BY task_id")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(2)).isEqualTo("resolved");
      assertThat(rows.getBoolean(3)).as("graded by its report").isFalse();
      assertThat(rows.getString(4)).isEqualTo("openhands");
      assertThat(rows.getInt(5)).isEqualTo(12);
      assertThat(rows.getString(6)).contains("\"command\":\"str_replace\"", "\"path\":\"textops/words.py\"");
      assertThat(rows.getString(7)).contains("graded by", "fixture__textops-1/report.json");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(2)).isEqualTo("agent_error");
      assertThat(rows.getString(7)).contains("left no change", "maximum iteration");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(2)).isEqualTo("resolved");
      assertThat(rows.getString(7)).contains("OpenHands' evaluation", "says resolved");
      assertThat(rows.next()).isFalse();
    }

    assertThat(trainSft(run, "sft-openhands")).contains("sft: 2 episodes");
  }

  @Test
  void anUnknownFormatAndARunThatHoldsTrajectoriesAreRefused() throws Exception {
    Path run = temp.resolve("runs/twice");
    Cli.Result unknown = Cli.run("import", "open-hands", trajectories().toString(), "--out", run.toString());
    assertThat(unknown.exitCode()).isEqualTo(CrucibleCommand.EXIT_USAGE);
    assertThat(unknown.err()).contains("unknown format 'open-hands'; known: swe-agent, swe-smith, openhands");
    assertThat(Cli.run("import", "swe-agent", temp.resolve("trajectories").toString(), "--out", run.toString()).exitCode()).isZero();
    Cli.Result again = Cli.run("import", "swe-agent", temp.resolve("trajectories").toString(), "--out", run.toString());
    assertThat(again.exitCode()).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(again.err()).contains(run.toString(), "already holds trajectories");
    Cli.Result missing = Cli.run("import", "swe-agent", temp.resolve("nowhere").toString(), "--out", temp.resolve("runs/other").toString());
    assertThat(missing.exitCode()).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(missing.err()).contains("nowhere", "no such file or directory");
  }
}
