package dev.crucible.jobs.pipeline;

import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import dev.crucible.jobs.spark.SerializableConfiguration;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a sample run: for each iteration, tasks × samples synthetic episodes generated on the
 * executors and written by each partition through the trajectory store, as rollouts will be. Then
 * checks that every episode can be read back exactly once.
 */
final class SampleRunStage {
  /** One episode to produce; Serializable because Spark ships it to executors. */
  record EpisodeKey(String taskId, int sampleIndex) implements Serializable {}

  private final SparkSession spark;
  private final PrintStream progress;

  SampleRunStage(SparkSession spark, PrintStream progress) {
    this.spark = spark;
    this.progress = progress;
  }

  /** Writes every iteration into {@code runDirectory} (qualified, so executors resolve it alike). */
  void run(Path runDirectory, List<TaskInstance> tasks, PipelineConfig.SampleRun settings) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        context.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    List<EpisodeKey> keys = new ArrayList<>();
    for (TaskInstance task : tasks) {
      for (int sample = 0; sample < settings.samplesPerTask(); sample++) {
        keys.add(new EpisodeKey(task.instanceId(), sample));
      }
    }
    int partitions = Math.max(1, Math.min(keys.size(), context.defaultParallelism() * 2));
    String run = runDirectory.toString();
    int turns = settings.turns();
    int observationBytes = settings.observationBytes();
    long seed = settings.seed();
    for (int iteration = 0; iteration < settings.iterations(); iteration++) {
      long start = System.nanoTime();
      int currentIteration = iteration;
      context
          .parallelize(keys, partitions)
          .foreachPartition(
              partition ->
                  writePartition(partition, run, conf.value(), currentIteration, turns, observationBytes, seed));
      int readBack =
          new TrajectoryStore(runDirectory, conf.value().value()).readTrajectories(iteration).size();
      if (readBack != keys.size()) {
        throw new IllegalStateException(
            "iteration " + iteration + ": wrote " + keys.size() + " episodes but read back " + readBack);
      }
      progress.printf(
          "sample_run: iteration %d/%d: %d episodes in %d partitions, %.1f s%n",
          iteration + 1, settings.iterations(), readBack, partitions, (System.nanoTime() - start) / 1e9);
    }
  }

  private static void writePartition(
      Iterator<EpisodeKey> partition,
      String runDirectory,
      SerializableConfiguration conf,
      int iteration,
      int turns,
      int observationBytes,
      long seed) {
    TrajectoryStore store = new TrajectoryStore(new Path(runDirectory), conf.value());
    SyntheticTrajectories generator = new SyntheticTrajectories(turns, observationBytes);
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(iteration)) {
      while (partition.hasNext()) {
        EpisodeKey key = partition.next();
        writer.write(generator.episode(store.runId(), iteration, key.taskId(), key.sampleIndex(), seed));
      }
      writer.commit();
    }
  }
}
