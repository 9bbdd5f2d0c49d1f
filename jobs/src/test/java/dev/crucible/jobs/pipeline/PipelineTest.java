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
            Map.of(), null, new PipelineConfig.SampleRun(2, 3, 8, 100, 11L));
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

    assertThatThrownBy(() -> new Pipeline(config, new PrintStream(new ByteArrayOutputStream())).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("runs/demo exists; set overwrite: true or choose another run_id");
  }
}
