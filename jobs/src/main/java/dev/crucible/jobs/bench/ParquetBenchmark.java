package dev.crucible.jobs.bench;

import dev.crucible.data.RunLayout;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.LocalFiles;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryCodec;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Write and read throughput of the trajectory store against a bare parquet-avro writer.
 *
 * <p>Both sides encode the same in-memory trajectories with the same codec, schema and compression;
 * the store adds its partition check, temporary file and commit. Throughput is the logical size of the
 * rows (UTF-8 text, 4 bytes per int or float, 8 per long) over the median wall time, so the two
 * figures divide to the ratio of their times.
 */
public final class ParquetBenchmark {
  private static final long SEED = 20_261_123L;

  private final int rows;
  private final int turns;
  private final int observationBytes;
  private final int rounds;
  private final Path out;
  private final PrintStream progress;
  private final Configuration conf = new Configuration();

  public ParquetBenchmark(int rows, int turns, int observationBytes, int rounds, Path out, PrintStream progress) {
    this.rows = rows;
    this.turns = turns;
    this.observationBytes = observationBytes;
    this.rounds = rounds;
    this.out = out.toAbsolutePath();
    this.progress = progress;
  }

  /** The figures of one run. */
  public record Result(
      int rows,
      int turns,
      double payloadMegabytes,
      double fileMegabytes,
      double writeMegabytesPerSecond,
      double baselineWriteMegabytesPerSecond,
      double ratio,
      double readRowsPerSecond,
      String out) {

    /** One JSON line. */
    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"benchmark\":\"parquet\",\"rows\":%d,\"turns\":%d,\"payload_mb\":%.1f,\"file_mb\":%.1f,"
              + "\"write_mb_s\":%.1f,\"baseline_write_mb_s\":%.1f,\"ratio\":%.3f,\"read_rows_s\":%.0f,"
              + "\"out\":\"%s\"}",
          rows, turns, payloadMegabytes, fileMegabytes, writeMegabytesPerSecond,
          baselineWriteMegabytesPerSecond, ratio, readRowsPerSecond, out.replace("\\", "\\\\").replace("\"", "\\\""));
    }
  }

  public Result run() {
    String runId = out.getFileName().toString();
    progress.printf("bench parquet: generating %d trajectories of %d turns%n", rows, turns);
    List<Trajectory> trajectories = generate(runId);
    double payloadMegabytes = trajectories.stream().mapToLong(ParquetBenchmark::logicalBytes).sum() / 1e6;

    Path baselineDirectory = createBaselineDirectory();
    try {
      // Warm both paths up so neither pays for class loading and JIT alone.
      List<Trajectory> warmUp = trajectories.subList(0, Math.min(rows, 100));
      writeThroughStore(warmUp, runId);
      writeBaseline(warmUp, baselineDirectory);

      long[] storeNanos = new long[rounds];
      long[] baselineNanos = new long[rounds];
      for (int round = 0; round < rounds; round++) {
        baselineNanos[round] = writeBaseline(trajectories, baselineDirectory);
        storeNanos[round] = writeThroughStore(trajectories, runId);
        progress.printf(
            "bench parquet: round %d/%d store %.2f s, baseline %.2f s%n",
            round + 1, rounds, storeNanos[round] / 1e9, baselineNanos[round] / 1e9);
      }

      long readStart = System.nanoTime();
      int read = new TrajectoryStore(hadoopPath(out), conf).readTrajectories().size();
      long readNanos = System.nanoTime() - readStart;
      if (read != rows) {
        throw new IllegalStateException("read back " + read + " trajectories, wrote " + rows);
      }

      double storeRate = payloadMegabytes / (median(storeNanos) / 1e9);
      double baselineRate = payloadMegabytes / (median(baselineNanos) / 1e9);
      return new Result(
          rows, turns, payloadMegabytes, directoryBytes(out) / 1e6, storeRate, baselineRate,
          storeRate / baselineRate, rows / (readNanos / 1e9), out.toString());
    } finally {
      deleteRecursively(baselineDirectory);
    }
  }

  private List<Trajectory> generate(String runId) {
    SyntheticTrajectories generator = new SyntheticTrajectories(turns, observationBytes);
    List<Trajectory> trajectories = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      trajectories.add(generator.episode(runId, 0, "bench__task-" + (i / 4), i % 4, SEED));
    }
    return trajectories;
  }

  /** Replaces the store's table with {@code trajectories}; returns the nanoseconds the write took. */
  private long writeThroughStore(List<Trajectory> trajectories, String runId) {
    deleteRecursively(out.resolve(RunLayout.TRAJECTORIES));
    TrajectoryStore store = new TrajectoryStore(hadoopPath(out), conf);
    long start = System.nanoTime();
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
      trajectories.forEach(writer::write);
      writer.commit();
    }
    return System.nanoTime() - start;
  }

  /** The bare writer: parquet-avro straight to the final file, same settings, no store. */
  private long writeBaseline(List<Trajectory> trajectories, Path directory) {
    org.apache.hadoop.fs.Path file = hadoopPath(directory.resolve("baseline.parquet"));
    Configuration writerConf = new Configuration(conf);
    writerConf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
    try {
      FileSystem fs = HadoopFiles.fileSystem(file, writerConf);
      fs.delete(file, false);
      long start = System.nanoTime();
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(file, writerConf))
              .withConf(writerConf)
              .withSchema(TrajectoryCodec.INSTANCE.schema())
              .withDataModel(GenericData.get())
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build()) {
        for (Trajectory trajectory : trajectories) {
          writer.write(TrajectoryCodec.INSTANCE.encode(trajectory));
        }
      }
      return System.nanoTime() - start;
    } catch (IOException e) {
      throw new UncheckedIOException("baseline write to " + file + " failed", e);
    }
  }

  static long logicalBytes(Trajectory t) {
    long bytes = utf8(t.episodeId()) + utf8(t.runId()) + utf8(t.taskId()) + utf8(t.policyVersion())
        + utf8(t.scaffold()) + utf8(t.mode()) + utf8(t.finalPatch()) + utf8(t.outcomeReason()) + 64;
    for (Turn turn : t.turns()) {
      bytes += utf8(turn.role()) + utf8(turn.phase()) + utf8(turn.content()) + utf8(turn.toolName())
          + utf8(turn.toolArguments()) + utf8(turn.observation())
          + 4L * turn.tokenIds().size() + 4L * turn.logprobs().size() + 28;
    }
    return bytes;
  }

  private static long utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path path) {
    return new org.apache.hadoop.fs.Path(path.toAbsolutePath().toString());
  }

  /** Beside {@code out}, so both writers use the same disk. */
  private Path createBaselineDirectory() {
    try {
      return Files.createDirectories(out.resolveSibling(out.getFileName() + ".baseline"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long directoryBytes(Path directory) {
    try (var files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .mapToLong(f -> f.toFile().length())
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path path) {
    try {
      LocalFiles.deleteTree(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
