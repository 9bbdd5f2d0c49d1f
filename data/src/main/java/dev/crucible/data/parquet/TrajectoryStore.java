package dev.crucible.data.parquet;

import dev.crucible.data.PreferencePair;
import dev.crucible.data.RunLayout;
import dev.crucible.data.Trajectory;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The episode tables of one run ({@link RunLayout#trajectories()}, {@link RunLayout#preferencePairs()}),
 * partitioned {@code iteration=<i>/part-*.parquet}.
 *
 * <p>The run id is the name of the run directory; every row written must carry it and the iteration
 * of the partition it goes to. Episode ids are deterministic, so a retried Spark task that writes an
 * episode again is read back once.
 */
public final class TrajectoryStore {
  private final Path runDirectory;
  private final String runId;
  private final ParquetTable<Trajectory> trajectories;
  private final ParquetTable<PreferencePair> preferencePairs;

  /** A store for the run in {@code runDirectory} (for example {@code runs/run-7}); nothing is created yet. */
  public TrajectoryStore(Path runDirectory, Configuration conf) {
    this.runDirectory = runDirectory;
    this.runId = runDirectory.getName();
    if (runId.isEmpty()) {
      throw new IllegalArgumentException(
          "run directory " + runDirectory + " has no name to serve as the run id");
    }
    this.trajectories =
        new ParquetTable<>(
            new RunLayout(runDirectory).trajectories(),
            TrajectoryCodec.INSTANCE,
            conf,
            ParquetTable.Duplicates.KEEP_FIRST);
    this.preferencePairs =
        new ParquetTable<>(
            new RunLayout(runDirectory).preferencePairs(),
            PreferencePairCodec.INSTANCE,
            conf,
            ParquetTable.Duplicates.KEEP_FIRST);
  }

  public Path runDirectory() {
    return runDirectory;
  }

  public String runId() {
    return runId;
  }

  /** The partition directory name of an iteration. */
  public static String iterationPartition(int iteration) {
    return "iteration=" + iteration;
  }

  /** A writer for one new part file of trajectories of {@code iteration}. */
  public PartWriter<Trajectory> openTrajectoryWriter(int iteration) {
    return trajectories.openPart(
        iterationPartition(iteration), t -> t.runId().equals(runId) && t.iteration() == iteration);
  }

  /**
   * A writer for the part file {@code part-NAME.parquet} of {@code iteration}, replacing one of that
   * name: what a retried Spark task writes takes the place of its earlier attempt.
   */
  public PartWriter<Trajectory> openNamedTrajectoryWriter(int iteration, String name) {
    return trajectories.openNamedPart(
        iterationPartition(iteration), name, t -> t.runId().equals(runId) && t.iteration() == iteration);
  }

  /** Whether {@code part-NAME.parquet} of {@code iteration} has been committed. */
  public boolean hasTrajectoryPart(int iteration, String name) {
    return trajectories.hasNamedPart(iterationPartition(iteration), name);
  }

  /** A writer for one new part file of preference pairs built in {@code iteration}. */
  public PartWriter<PreferencePair> openPreferencePairWriter(int iteration) {
    return preferencePairs.openPart(
        iterationPartition(iteration), p -> p.runId().equals(runId) && p.iteration() == iteration);
  }

  /** Every trajectory of the run, one per episode. */
  public List<Trajectory> readTrajectories() {
    return trajectories.read();
  }

  /** The trajectories of one iteration, one per episode. */
  public List<Trajectory> readTrajectories(int iteration) {
    return trajectories.read(iterationPartition(iteration));
  }

  /** Every preference pair of the run. */
  public List<PreferencePair> readPreferencePairs() {
    return preferencePairs.read();
  }

  /** The trajectory table itself, for scans and file listings. */
  public ParquetTable<Trajectory> trajectoryTable() {
    return trajectories;
  }
}
