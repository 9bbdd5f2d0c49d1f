package dev.crucible.data.swebench;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.InputFiles;
import dev.crucible.data.json.JsonDocument;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.TaskJson;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TaskInstanceCodec;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Task files in the SWE-bench schema: {@code .jsonl} (one task per line) or {@code .parquet} (a file,
 * or a directory of part files as Spark writes them).
 */
public final class SweBenchTasks {
  private SweBenchTasks() {}

  /**
   * Reads every task in {@code path}.
   *
   * @throws InvalidInputException listing every malformed line or row, missing or mistyped field or
   *     column, and repeated {@code instance_id}; nothing is returned from a file that has one. Also
   *     when the file is missing or cannot be opened.
   * @throws UncheckedIOException when reading fails after the file was opened
   */
  public static List<TaskInstance> read(Path path, Configuration conf) {
    return read(path, conf, null);
  }

  /**
   * Reads the tasks of one split: a folder of Parquet shards named as Hugging Face names them
   * ({@code test-00000-of-00001.parquet}) is read only in the split chosen, and one that holds several
   * splits needs a choice ({@link DatasetSplits}); a single file is its own split.
   *
   * @param split the split to read, or null for a file or a folder of at most one split
   */
  public static List<TaskInstance> read(Path path, Configuration conf, String split) {
    return switch (Format.of(path)) {
      case JSONL -> JsonLines.read(path, conf, TaskJson::decode, "instance_id", TaskInstance::instanceId);
      case JSON -> JsonDocument.read(path, conf, TaskJson::decode, JsonDocument.Shape.LIST, "instance_id", TaskInstance::instanceId);
      case PARQUET -> {
        InputFiles.require(path, conf, InputFiles.Kind.FILE_OR_DIRECTORY);
        ParquetTable<TaskInstance> table = parquet(path, conf);
        yield InputFiles.isFile(path, conf) ? DatasetSplits.requireFileOf(path, split, table.read())
            : table.read(DatasetSplits.choose(path, table.files(), split));
      }
    };
  }

  /** Writes {@code tasks} to {@code path} atomically, in the format its extension names ({@code .jsonl} or {@code .parquet}). */
  public static void write(Path path, Configuration conf, List<TaskInstance> tasks) {
    switch (Format.of(path)) {
      case JSONL -> JsonLines.write(path, conf, tasks, TaskJson::encode);
      case JSON -> throw new IllegalArgumentException("tasks are written as .jsonl or .parquet, not " + path);
      case PARQUET -> writeParquet(path, conf, tasks);
    }
  }

  private static ParquetTable<TaskInstance> parquet(Path path, Configuration conf) {
    return new ParquetTable<>(path, TaskInstanceCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
  }

  private static void writeParquet(Path path, Configuration conf, List<TaskInstance> tasks) {
    try (PartWriter<TaskInstance> writer =
        PartWriter.open(path, TaskInstanceCodec.INSTANCE, conf, task -> true, path.toString())) {
      tasks.forEach(writer::write);
      writer.commit();
    }
  }
}
