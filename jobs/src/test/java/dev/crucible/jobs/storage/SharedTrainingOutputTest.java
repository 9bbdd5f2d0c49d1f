package dev.crucible.jobs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.RunLayout;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HostCache;
import dev.crucible.data.io.MirroredDirectory;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import dev.crucible.jobs.Cli;
import dev.crucible.rollout.agent.DjlPolicyTest;
import dev.crucible.trainer.train.MetricsSink;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.file.PathUtils;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crucible train} with everything on HDFS (Hadoop's MiniDFSCluster): the runs it learns from, the
 * checkpoint it starts from and the output directory, whose checkpoints, final model and tables it publishes
 * there; a resume on a host that has none of the output finds it on HDFS.
 */
@Tag("spark")
class SharedTrainingOutputTest {
  @TempDir static Path temp;
  private static MiniHdfs cluster;
  private static FileSystem hdfs;

  @BeforeAll
  static void start() throws Exception {
    cluster = new MiniHdfs(temp.resolve("hdfs"));
    hdfs = cluster.fileSystem();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void sftLearnsFromRunsOnHdfsStartingFromACheckpointOnHdfsAndPublishesItsOutputThere() throws Exception {
    org.apache.hadoop.fs.Path run = cluster.path("/runs/expert");
    TrajectoryStore store = new TrajectoryStore(run, hdfs.getConf());
    SyntheticTrajectories synthetic = new SyntheticTrajectories(8, 300);
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
      for (int sample = 0; sample < 4; sample++) {
        writer.write(synthetic.episode("expert", 0, "task-" + sample % 2, sample, 5));
      }
      writer.commit();
    }
    org.apache.hadoop.fs.Path start = cluster.path("/models/start");
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(DjlPolicyTest.tinyCheckpoint(temp.resolve("start")).toUri()), start);
    org.apache.hadoop.fs.Path output = cluster.path("/train/sft");
    Path config = temp.resolve("sft.yaml");
    Files.writeString(config, "output: " + output + "\nmodel: {checkpoint: " + start + "}\ndata: {runs: [" + run + "], only_resolved: false}\n"
        + "training: {sequence_length: 2048, batch_size: 2, max_steps: 3, checkpoint_every: 2, warmup_steps: 1, log_every: 1}\n");

    Cli.Result trained = Cli.run("train", "sft", "--config", config.toString());

    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("sft: 4 episodes", "steps 3");
    RunLayout layout = new RunLayout(output);
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(layout.finalCheckpoint(), "model.safetensors"))).isTrue();
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(layout.finalCheckpoint(), "tokenizer.json"))).isTrue();
    assertThat(hdfs.isFile(new org.apache.hadoop.fs.Path(layout.checkpoints(), "step-000002/trainer_state.json"))).isTrue();
    assertThat(MetricsSink.read(layout.metrics(), hdfs.getConf(), "sft")).hasSize(3);
    assertThat(trained.err()).containsPattern("output: \\d+ files published to " + output);

    // Another host: nothing of the output on its disk; --resume brings the checkpoints down from HDFS.
    PathUtils.deleteDirectory(MirroredDirectory.inCache(output, HostCache.onThisHost()).local());
    Cli.Result resumed = Cli.run("train", "sft", "--config", config.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).containsPattern("output: " + output + " worked on in .* \\(\\d+ files brought down\\)")
        .contains("sft resuming after step 3");
  }
}
