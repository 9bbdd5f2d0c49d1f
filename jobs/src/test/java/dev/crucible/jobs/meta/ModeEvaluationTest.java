package dev.crucible.jobs.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.HintLevel;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.jobs.Cli;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.tasks.GeneratedTasks;
import dev.crucible.rollout.tasks.LocalTrialRunner;
import dev.crucible.rollout.tasks.TaskGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MRT ablation in its short configuration: three textkit tasks at hint levels fix, line and none, the
 * mode-aware scripted expert in every mode of {@code examples/mrt/modes.yaml} (real episodes in Docker
 * sandboxes on Spark local mode), and a meta-controller trained on the oracle's episodes. Deep always
 * explores, so on the task whose fix is given it pays tokens for nothing: a controller that learned
 * anything beats always-deep.
 */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class ModeEvaluationTest {
  @TempDir Path temp;

  @Test
  void everyTaskRunsInEveryModeAndATrainedControllerSpendsFewerTokensThanAlwaysDeepForLessRegret() throws Exception {
    SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
    try (LocalTrialRunner trials = new LocalTrialRunner(docker, 2)) {
      var generated = new TaskGenerator(docker, trials,
          new TaskGenerator.Options(3, 0, SandboxSpec.DEFAULT_IMAGE, Duration.ofSeconds(60), List.of(HintLevel.FIX, HintLevel.LINE, HintLevel.NONE)),
          new PrintStream(new ByteArrayOutputStream())).generate(Path.of("../examples/repos/textkit"), temp);
      assertThat(generated).extracting(task -> task.task().hintLevel()).containsExactly(HintLevel.FIX, HintLevel.LINE, HintLevel.NONE);
      GeneratedTasks.write(new org.apache.hadoop.fs.Path(temp.resolve("tasks.jsonl").toString()), new Configuration(), generated);
    }
    Path out = temp.resolve("eval");
    Cli.Result result = Cli.run("eval", "modes", "--tasks", temp.resolve("tasks.jsonl").toString(), "--policy", "scripted", "--modes",
        "../examples/mrt/modes.yaml", "--out", out.toString(), "--meta-iterations", "40", "--master", "local[2]");
    assertThat(result.exitCode()).as(result.err()).isZero();
    String[] lines = result.out().strip().split("\n");
    JsonNode report = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(report).isEqualTo(new ObjectMapper().readTree(out.resolve(ModeEvaluation.REPORT).toFile()));
    assertThat(result.out()).contains("chooser", "oracle", "auto");

    for (String mode : List.of("fast", "standard", "deep")) {
      List<Trajectory> episodes = new TrajectoryStore(HadoopFiles.local(out.resolve("oracle").resolve(mode)), new Configuration()).readTrajectories(0);
      assertThat(episodes).hasSize(3).allSatisfy(episode -> {
        assertThat(episode.mode()).isEqualTo(mode);
        assertThat(episode.modeChooser()).isEqualTo(ModeChooser.CONFIG);
      });
    }
    JsonNode choosers = report.path("choosers");
    assertThat(report.path("tasks").asInt()).isEqualTo(3);
    assertThat(choosers.path("oracle").path("regret").asDouble()).isZero();
    for (String chooser : List.of("fast", "standard", "deep", "auto", "auto_sampled")) {
      assertThat(choosers.path(chooser).path("regret").asDouble()).as(chooser).isGreaterThanOrEqualTo(0);
      assertThat(choosers.path(chooser).path("mean_return").asDouble()).as(chooser)
          .isLessThanOrEqualTo(choosers.path("oracle").path("mean_return").asDouble());
    }
    assertThat(choosers.path("deep").path("regret").asDouble()).as("deep explores even when the fix is given").isPositive();
    assertThat(choosers.path("auto").path("regret").asDouble()).isLessThan(choosers.path("deep").path("regret").asDouble());
    assertThat(choosers.path("auto").path("mean_tokens").asDouble()).isLessThan(choosers.path("deep").path("mean_tokens").asDouble());
    assertThat(report.path("tokens_saved_vs_largest").asDouble()).isPositive();
    JsonNode curve = report.path("regret_curve");
    assertThat(curve).hasSize(40);
    assertThat(curve.get(39).asDouble()).as("the expected regret fell while it learned").isLessThan(curve.get(0).asDouble());

    assertThat(out.resolve("meta").resolve(dev.crucible.trainer.meta.MetaController.STATE)).exists();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duck.createStatement().executeQuery("SELECT count(*), count(DISTINCT iteration), bool_and(cost_adjusted_return IS NOT NULL)"
            + " FROM read_parquet('" + out.resolve("mode_decisions") + "/**/*.parquet', hive_partitioning = true)")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).as("a decision per task per round").isEqualTo(3 * 40);
      assertThat(rows.getLong(2)).isEqualTo(40);
      assertThat(rows.getBoolean(3)).isTrue();
    }
    assertThat(Files.readString(out.resolve(ModeEvaluation.REPORT))).contains("\"largest_mode\" : \"deep\"");
  }
}
