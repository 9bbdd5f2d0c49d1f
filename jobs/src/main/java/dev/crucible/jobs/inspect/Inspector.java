package dev.crucible.jobs.inspect;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.RunLayout;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.InputFiles;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.TrajectoryCodec;
import dev.crucible.data.swebench.SweBenchTasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Tells what a path holds and summarizes it: a run directory (its {@code trajectories} table), a
 * trajectory table or part file, or a task file (JSONL or Parquet).
 */
public final class Inspector {
  private final Configuration conf;

  public Inspector(Configuration conf) {
    this.conf = conf;
  }

  /**
   * The summary text of {@code path}.
   *
   * @throws InvalidInputException when the path is missing or holds neither trajectories nor tasks
   */
  public String inspect(Path path) {
    InputFiles.require(path, conf, InputFiles.Kind.FILE_OR_DIRECTORY);
    FileSystem fs = HadoopFiles.fileSystem(path, conf);
    try {
      RunLayout run = new RunLayout(path);
      Path runTrajectories = run.trajectories();
      if (fs.getFileStatus(path).isDirectory() && fs.exists(runTrajectories)) {
        Path runTasks = run.tasks();
        Map<String, TaskInstance> tasks = new HashMap<>();
        if (fs.exists(runTasks)) {
          SweBenchTasks.read(runTasks, conf).forEach(task -> tasks.put(task.instanceId(), task));
        }
        return "run " + path + "\n" + trajectories(runTrajectories, tasks);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + path, e);
    }
    if (path.getName().endsWith(".jsonl")) {
      return tasks(path);
    }
    ParquetTable<Trajectory> table =
        new ParquetTable<>(path, TrajectoryCodec.INSTANCE, conf, ParquetTable.Duplicates.KEEP_FIRST);
    List<Path> files = table.files();
    if (files.isEmpty()) {
      throw invalid(path, "holds no .parquet or .jsonl data");
    }
    boolean holdsTrajectories = ParquetTable.schemaOf(files.get(0), conf).getField("episode_id") != null;
    return holdsTrajectories ? trajectories(path, Map.of()) : tasks(path);
  }

  private String trajectories(Path table, Map<String, TaskInstance> tasks) {
    TrajectorySummary summary = new TrajectorySummary(tasks);
    new ParquetTable<>(table, TrajectoryCodec.INSTANCE, conf, ParquetTable.Duplicates.KEEP_FIRST)
        .scan("", summary::add);
    return "trajectories: " + summary.episodes() + " episodes in " + table + "\n" + summary.format();
  }

  private String tasks(Path file) {
    return new TaskSummary(SweBenchTasks.read(file, conf)).format();
  }

  private static InvalidInputException invalid(Path path, String message) {
    return new InvalidInputException(new InputProblem(path.toString(), 0, null, message));
  }
}
