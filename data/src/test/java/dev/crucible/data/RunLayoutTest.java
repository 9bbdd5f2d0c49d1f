package dev.crucible.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class RunLayoutTest {
  @Test
  void everyPathOfARunSitsUnderItsDirectoryOnItsFileSystem() {
    RunLayout run = new RunLayout(new Path("hdfs://nn:8020/runs/r7"));
    assertThat(run.runId()).isEqualTo("r7");
    assertThat(run.tasks()).hasToString("hdfs://nn:8020/runs/r7/tasks/tasks.parquet");
    assertThat(run.heldOutTasks()).hasToString("hdfs://nn:8020/runs/r7/tasks/held-out.parquet");
    assertThat(run.repositories()).hasToString("hdfs://nn:8020/runs/r7/tasks/repos");
    assertThat(run.trajectories()).hasToString("hdfs://nn:8020/runs/r7/trajectories");
    assertThat(run.rolloutMetrics(3)).hasToString("hdfs://nn:8020/runs/r7/metrics/iteration=3.prom");
    assertThat(run.rollouts().iterationTasks(2)).hasToString("hdfs://nn:8020/runs/r7/rollouts/batches/iteration-000002.parquet");
    assertThat(run.oracle("deep").root()).hasToString("hdfs://nn:8020/runs/r7/oracle/deep");
    assertThat(run.stage("sft").finalCheckpoint()).hasToString("hdfs://nn:8020/runs/r7/sft/final");
    assertThat(run.report()).hasToString("hdfs://nn:8020/runs/r7/report.html");
  }

  @Test
  void aLocalRunIsAFileUri() {
    RunLayout run = RunLayout.local(java.nio.file.Path.of("/tmp/runs/local"));
    assertThat(run.tasks()).hasToString("file:/tmp/runs/local/tasks/tasks.parquet");
  }
}
