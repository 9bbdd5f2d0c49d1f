package dev.crucible.data.parquet;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.io.FieldValueException;
import dev.crucible.data.io.HadoopFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * A table of one record type stored as Parquet part files under a root directory, optionally in
 * Hive-style partitions ({@code iteration=3/}) whose column lives in the directory name and not in the
 * files ({@link HivePartitions}). Works on any Hadoop file system.
 *
 * <p>Part files are written through {@link PartWriter}, which commits atomically. Readers take every
 * {@code *.parquet} file under the root whose path has no hidden ({@code .}) or marker ({@code _})
 * component, in path order, and handle a repeated key as {@link Duplicates} says: trajectory tables
 * keep the first copy, so a part written twice by a retried task contributes its rows once. Any file
 * may also be read on its own by giving it as the root.
 */
public final class ParquetTable<T> {
  /** What readers do with a second row for a key they have already seen. */
  public enum Duplicates {
    /** Keep the first, in file order: copies written by retried tasks are expected. */
    KEEP_FIRST,
    /** Report it as an input problem: each key must appear once. */
    REJECT
  }

  private static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

  private final Path root;
  private final AvroCodec<T> codec;
  private final Configuration conf;
  private final Duplicates duplicates;

  public ParquetTable(Path root, AvroCodec<T> codec, Configuration conf, Duplicates duplicates) {
    this.root = root;
    this.codec = codec;
    this.duplicates = duplicates;
    this.conf = conf;
  }

  public Path root() {
    return root;
  }

  /**
   * Opens a writer for a new part file in {@code partition} ({@code ""} for the root), accepting
   * only rows for which {@code belongsHere} holds.
   */
  public PartWriter<T> openPart(String partition, Predicate<T> belongsHere) {
    Path directory = partition.isEmpty() ? root : new Path(root, partition);
    Path target = new Path(directory, "part-" + UUID.randomUUID() + ".parquet");
    return PartWriter.open(target, codec, conf, belongsHere, directory.toString(), columnsInPath(partition));
  }

  /**
   * Opens a writer for the part file {@code part-NAME.parquet} of {@code partition}; committing it
   * replaces a file of that name. A Spark task that names its part after its partition therefore
   * leaves one file however often it is retried or speculated.
   */
  public PartWriter<T> openNamedPart(String partition, String name, Predicate<T> belongsHere) {
    Path directory = partition.isEmpty() ? root : new Path(root, partition);
    return PartWriter.open(namedPart(partition, name), codec, conf, belongsHere, directory.toString(), columnsInPath(partition));
  }

  /** Whether the part file {@code part-NAME.parquet} of {@code partition} has been committed. */
  public boolean hasNamedPart(String partition, String name) {
    Path part = namedPart(partition, name);
    try {
      return HadoopFiles.fileSystem(part, conf).exists(part);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for " + part, e);
    }
  }

  private Path namedPart(String partition, String name) {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("part name '" + name + "' must be a plain name");
    }
    return new Path(partition.isEmpty() ? root : new Path(root, partition), "part-" + name + ".parquet");
  }

  /** The columns a partition's directory names hold, with their values; its files leave them out. */
  private Map<String, String> columnsInPath(String partition) {
    Map<String, String> columns = HivePartitions.parse(partition);
    columns.keySet().removeIf(column -> codec.schema().getField(column) == null);
    return columns;
  }

  /** Writes {@code rows} as one committed part file of {@code partition} and returns it. */
  public Path writePart(String partition, Collection<T> rows) {
    try (PartWriter<T> writer = openPart(partition, row -> true)) {
      rows.forEach(writer::write);
      return writer.commit();
    }
  }

  /** Committed part files under the root, in the order readers take them. Empty when there is no root. */
  public List<Path> files() {
    return files(root, conf);
  }

  /** Every row of the table, one per key. */
  public List<T> read() {
    return read("");
  }

  /** Every row of one partition ({@code ""} for the whole table), one per key. */
  public List<T> read(String partition) {
    List<T> rows = new ArrayList<>();
    scan(partition, rows::add);
    return rows;
  }

  /**
   * Streams the rows of {@code partition} ({@code ""} for the whole table) to {@code consumer}, one per
   * key, in file order.
   *
   * @throws InvalidInputException after the scan, listing every file with a foreign schema and every
   *     row that does not decode; rows already passed to {@code consumer} must then be discarded
   */
  public void scan(String partition, Consumer<T> consumer) {
    scanFiles(files(partition.isEmpty() ? root : new Path(root, partition), conf), consumer);
  }

  /** Every row of {@code files} (some of {@link #files()}), one per key, as {@link #scan} reads them. */
  public List<T> read(List<Path> files) {
    List<T> rows = new ArrayList<>();
    scanFiles(files, rows::add);
    return rows;
  }

  private void scanFiles(List<Path> files, Consumer<T> consumer) {
    Map<String, String> firstSeenAt = new HashMap<>();
    List<InputProblem> problems = new ArrayList<>();
    for (Path file : files) {
      scanFile(file, firstSeenAt, consumer, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }

  private void scanFile(
      Path file, Map<String, String> firstSeenAt, Consumer<T> consumer, List<InputProblem> problems) {
    String source = file.toString();
    Schema fileSchema = schemaOf(file, conf);
    Configuration readConf = foreignListsAsArrays(conf);
    Map<String, String> pathValues = HivePartitions.ofFile(file);
    Set<String> fromPath = HivePartitions.suppliedByPath(codec.schema(), fileSchema, pathValues);
    List<InputProblem> schemaProblems =
        SchemaCheck.problems(source, fileSchema, HivePartitions.without(codec.schema(), fromPath));
    if (!schemaProblems.isEmpty()) {
      problems.addAll(schemaProblems);
      return;
    }
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, conf))
            .withDataModel(GenericData.get())
            .withConf(readConf)
            .build()) {
      GenericRecord record;
      long row = 0;
      while ((record = reader.read()) != null) {
        row++;
        try {
          T value =
              codec.decode(fromPath.isEmpty() ? record : HivePartitions.restore(record, codec.schema(), pathValues));
          String key = codec.key(value);
          String first = firstSeenAt.putIfAbsent(key, source + ":" + row);
          if (first == null) {
            consumer.accept(value);
          } else if (duplicates == Duplicates.REJECT) {
            problems.add(
                new InputProblem(
                    source, row, codec.keyField(), "duplicate '" + key + "', first seen at " + first));
          }
        } catch (IllegalArgumentException | NullPointerException | FieldValueException e) {
          problems.add(InputProblem.ofRow(source, row, e));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }

  /**
   * {@code conf} reading a file without an Avro schema (DuckDB's, pyarrow's, Hugging Face's) so that its
   * standard three-level lists ({@code list<string>}) are arrays of their elements, not arrays of
   * one-field records.
   */
  public static Configuration foreignListsAsArrays(Configuration conf) {
    Configuration read = new Configuration(conf);
    read.setBoolean(AvroSchemaConverter.ADD_LIST_ELEMENT_RECORDS, false);
    return read;
  }

  /**
   * The Avro schema a Parquet file was written with, or the one its Parquet schema converts to when
   * another tool wrote it.
   *
   * @throws InvalidInputException when the file is not Parquet
   */
  public static Schema schemaOf(Path file, Configuration conf) {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      FileMetaData metadata = reader.getFooter().getFileMetaData();
      String avroSchema = metadata.getKeyValueMetaData().get(AVRO_SCHEMA_KEY);
      return avroSchema != null
          ? new Schema.Parser().parse(avroSchema)
          : new AvroSchemaConverter(foreignListsAsArrays(conf)).convert(metadata.getSchema());
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          new InputProblem(file.toString(), 0, null, "not a readable Parquet file: " + e.getMessage()));
    }
  }

  /**
   * The {@code *.parquet} files under {@code directory} (or the file itself) whose path below it has
   * no hidden or marker component, in path order; empty when it does not exist.
   */
  public static List<Path> files(Path directory, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(directory, conf);
    List<Path> files = new ArrayList<>();
    try {
      if (!fs.exists(directory)) {
        return files;
      }
      if (fs.getFileStatus(directory).isFile()) {
        return List.of(directory);
      }
      RemoteIterator<LocatedFileStatus> listing = fs.listFiles(directory, true);
      String rootPrefix = fs.makeQualified(directory).toUri().getPath();
      while (listing.hasNext()) {
        Path path = listing.next().getPath();
        String relative = path.toUri().getPath().substring(rootPrefix.length());
        if (path.getName().endsWith(".parquet") && !hasHiddenComponent(relative)) {
          files.add(path);
        }
      }
    } catch (FileNotFoundException e) {
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    files.sort(null);
    return files;
  }

  private static boolean hasHiddenComponent(String relativePath) {
    for (String component : relativePath.split("/")) {
      if (!component.isEmpty() && HadoopFiles.isHiddenName(component)) {
        return true;
      }
    }
    return false;
  }
}
