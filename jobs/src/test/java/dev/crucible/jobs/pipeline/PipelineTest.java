package dev.crucible.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.Trajectory;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.rollout.sandbox.SandboxChoice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default end to end: tasks stored, a Spark job writing the sample run, the summary. */
@Tag("spark")
class PipelineTest {
  @TempDir Path temp;

  @Test
  void runsEveryStageAndWritesEachEpisodeOnce() {
    PipelineConfig config =
        new PipelineConfig(
            "demo", temp.resolve("runs").toString(), false, "../examples/tasks/sample.jsonl", null, SandboxChoice.docker(), "local[2]",
            Map.of(), null, new PipelineConfig.SampleRun(2, 3, 8, 100, 11L), Map.of(), null, 0, null);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    String summary = new Pipeline(config, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    Configuration conf = new Configuration();
    TrajectoryStore store = new TrajectoryStore(new org.apache.hadoop.fs.Path(temp.resolve("runs/demo").toString()), conf);
    List<Trajectory> trajectories = store.readTrajectories();
    assertThat(trajectories).hasSize(4 * 3 * 2);
    assertThat(store.trajectoryTable().files())
        .as("one file per partition and iteration: nothing was written twice")
        .hasSizeLessThanOrEqualTo(2 * 4);
    assertThat(trajectories).allMatch(t -> t.policyVersion().equals(SyntheticTrajectories.POLICY_VERSION));
    assertThat(trajectories.get(0).turns()).hasSize(8);
    assertThat(SweBenchTasks.read(new org.apache.hadoop.fs.Path(temp.resolve("runs/demo/tasks/tasks.parquet").toString()), conf))
        .isEqualTo(SweBenchTasks.read(new org.apache.hadoop.fs.Path("../examples/tasks/sample.jsonl"), conf));
    assertThat(summary).contains("trajectories: 24 episodes", "policy versions: synthetic (24)");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("tasks: 4 tasks", "sample_run: iteration 1/2: 12 episodes", "sample_run: iteration 2/2: 12 episodes");

    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("pipeline: stage tasks", "pipeline: rollout done in");
    assertThat(summary).containsPattern("time per stage\n  tasks +[0-9.]+ s\n  rollout +[0-9.]+ s\n  report +[0-9.]+ s\n  total +[0-9.]+ s");

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    String resumed = new Pipeline(config, new PrintStream(again, true, StandardCharsets.UTF_8)).run();
    assertThat(again.toString(StandardCharsets.UTF_8)).contains("resuming run", "pipeline: tasks finished in an earlier run",
        "pipeline: rollout finished in an earlier run").doesNotContain("sample_run: iteration");
    assertThat(resumed).contains("trajectories: 24 episodes", "(an earlier run)");

    PipelineConfig other = new PipelineConfig("demo", temp.resolve("runs").toString(), false, "../examples/tasks/sample.jsonl", null,
        SandboxChoice.docker(), "local[2]", Map.of(), null, new PipelineConfig.SampleRun(2, 3, 9, 100, 11L), Map.of(), null, 0, null);
    assertThatThrownBy(() -> new Pipeline(other, new PrintStream(new ByteArrayOutputStream())).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs/demo was started with other settings")
        .hasMessageContaining("set overwrite: true or choose another run_id");
  }
}
