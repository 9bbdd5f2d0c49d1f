package dev.crucible.data.parquet;

import dev.crucible.data.io.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Writes one part file of a {@link ParquetTable}. Rows go to a hidden temporary file; {@link #commit()}
 * renames it into place. Closing without committing deletes it, so a writer that fails or is killed
 * never leaves a part file that readers would pick up. Not thread-safe.
 *
 * <pre>{@code
 * try (PartWriter<Trajectory> writer = table.openPart("iteration=0")) {
 *   for (Trajectory t : episodes) writer.write(t);
 *   writer.commit();
 * }
 * }</pre>
 */
public final class PartWriter<T> implements AutoCloseable {
  /** Snappy: fast, and read by Spark, DuckDB, pandas and every other Parquet engine. */
  static final CompressionCodecName COMPRESSION = CompressionCodecName.SNAPPY;

  private final AvroCodec<T> codec;
  private final Schema fileSchema;
  private final Map<String, String> valuesInPath;
  private final Predicate<T> belongsHere;
  private final String partitionDescription;
  private final FileSystem fs;
  private final Path temporary;
  private final Path target;
  private final ParquetWriter<GenericRecord> writer;
  private long rows;
  private boolean finished;

  private PartWriter(
      AvroCodec<T> codec,
      Schema fileSchema,
      Map<String, String> valuesInPath,
      Predicate<T> belongsHere,
      String partitionDescription,
      FileSystem fs,
      Path temporary,
      Path target,
      ParquetWriter<GenericRecord> writer) {
    this.codec = codec;
    this.fileSchema = fileSchema;
    this.valuesInPath = Map.copyOf(valuesInPath);
    this.belongsHere = belongsHere;
    this.partitionDescription = partitionDescription;
    this.fs = fs;
    this.temporary = temporary;
    this.target = target;
    this.writer = writer;
  }

  /**
   * Opens a writer whose {@link #commit()} creates or replaces {@code target}.
   *
   * @param belongsHere rows failing it are refused, naming {@code description}
   * @param description the partition or file rows go to, for error messages
   */
  public static <T> PartWriter<T> open(
      Path target,
      AvroCodec<T> codec,
      Configuration conf,
      Predicate<T> belongsHere,
      String description) {
    return open(target, codec, conf, belongsHere, description, Map.of());
  }

  /**
   * Opens a writer like {@link #open(Path, AvroCodec, Configuration, Predicate, String)} whose file
   * leaves out the columns the partition directory's name holds; {@code valuesInPath} maps each to its
   * value there, which every row must have.
   */
  static <T> PartWriter<T> open(
      Path target,
      AvroCodec<T> codec,
      Configuration conf,
      Predicate<T> belongsHere,
      String description,
      Map<String, String> valuesInPath) {
    Schema fileSchema = HivePartitions.without(codec.schema(), valuesInPath.keySet());
    Path temporary = HadoopFiles.temporarySibling(target);
    FileSystem fs = HadoopFiles.fileSystem(target, conf);
    Configuration writerConf = new Configuration(conf);
    // Standard three-level lists, the layout Spark and DuckDB expect.
    writerConf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
    try {
      fs.mkdirs(target.getParent());
      ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(temporary, writerConf))
              .withConf(writerConf)
              .withSchema(fileSchema)
              .withDataModel(GenericData.get())
              .withCompressionCodec(COMPRESSION)
              .build();
      return new PartWriter<>(codec, fileSchema, valuesInPath, belongsHere, description, fs, temporary, target, writer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + target + " for writing", e);
    }
  }

  /**
   * Appends one row.
   *
   * @throws IllegalArgumentException when the row belongs to another partition
   * @throws UncheckedIOException naming the row's key when it cannot be written
   */
  public void write(T row) {
    if (finished) {
      throw new IllegalStateException("part " + target + " is already committed or aborted");
    }
    String key = codec.key(row);
    if (!belongsHere.test(row)) {
      throw new IllegalArgumentException(
          codec.keyField() + " '" + key + "' does not belong in " + partitionDescription);
    }
    GenericRecord record = codec.encode(row);
    valuesInPath.forEach(
        (column, value) -> {
          if (!value.equals(String.valueOf(record.get(column)))) {
            throw new IllegalArgumentException(
                codec.keyField() + " '" + key + "' has " + column + " " + record.get(column) + ", so it does not belong in "
                    + partitionDescription);
          }
        });
    try {
      writer.write(HivePartitions.project(record, fileSchema));
      rows++;
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          new IOException("cannot write " + codec.keyField() + " '" + key + "' to " + target, e));
    }
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /**
   * Finishes the file and makes it visible under its final name.
   *
   * @return the committed file
   */
  public Path commit() {
    if (finished) {
      throw new IllegalStateException("part " + target + " is already committed or aborted");
    }
    finished = true;
    try {
      writer.close();
      HadoopFiles.commit(fs, temporary, target);
      return target;
    } catch (IOException e) {
      deleteTemporary();
      throw new UncheckedIOException("cannot commit " + target, e);
    }
  }

  /** Discards everything written; idempotent, and a no-op after {@link #commit()}. */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // The file is being discarded; a failure to finish it changes nothing.
    }
    deleteTemporary();
  }

  /** Aborts unless {@link #commit()} was called. */
  @Override
  public void close() {
    abort();
  }

  private void deleteTemporary() {
    try {
      fs.delete(temporary, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete temporary part " + temporary, e);
    }
  }
}
