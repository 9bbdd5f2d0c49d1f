package dev.crucible.data.parquet;

import dev.crucible.data.io.FieldValueException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.Path;

/**
 * Hive-style partition directories ({@code iteration=3/}): a column a directory names is stored in the
 * path, not in the files under it, as Spark writes partitioned tables. Spark, DuckDB and pyarrow all
 * restore it from the path, and Spark warns ({@code COLUMN_ALREADY_EXISTS}) when a file holds it too.
 * Writers leave such columns out of the file; readers put them back from the directory names. Files of
 * schema version 1, which hold the column, read as before: a column in the file wins over the path.
 */
final class HivePartitions {
  private HivePartitions() {}

  /**
   * The {@code name=value} components of a partition path such as {@code iteration=3}, in order; other
   * components are not partitions.
   */
  static Map<String, String> parse(String partition) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String component : partition.split("/")) {
      int equals = component.indexOf('=');
      if (equals > 0) {
        values.put(component.substring(0, equals), component.substring(equals + 1));
      }
    }
    return values;
  }

  /** The partition values named by the directories above {@code file}; the nearest directory wins. */
  static Map<String, String> ofFile(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Path directory = file.getParent(); directory != null; directory = directory.getParent()) {
      parse(directory.getName()).forEach(values::putIfAbsent);
    }
    return values;
  }

  /** {@code schema} without {@code columns}: the schema of the files under directories that name them. */
  static Schema without(Schema schema, Set<String> columns) {
    if (columns.isEmpty()) {
      return schema;
    }
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      if (!columns.contains(field.name())) {
        fields.add(new Schema.Field(field, field.schema()));
      }
    }
    Schema reduced = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    schema.getObjectProps().forEach(reduced::addProp);
    return reduced;
  }

  /** The fields of {@code record} that {@code fileSchema} has: the row as it is stored. */
  static GenericRecord project(GenericRecord record, Schema fileSchema) {
    if (record.getSchema() == fileSchema) {
      return record;
    }
    GenericData.Record stored = new GenericData.Record(fileSchema);
    for (Schema.Field field : fileSchema.getFields()) {
      stored.put(field.pos(), record.get(field.name()));
    }
    return stored;
  }

  /**
   * The row with the columns its file lacks taken from {@code values} (the directory names), converted
   * to each column's type.
   *
   * @throws FieldValueException when a directory value does not convert to its column's type
   */
  static GenericRecord restore(GenericRecord stored, Schema schema, Map<String, String> values) {
    GenericData.Record full = new GenericData.Record(schema);
    Schema fileSchema = stored.getSchema();
    for (Schema.Field field : schema.getFields()) {
      if (fileSchema.getField(field.name()) != null) {
        full.put(field.pos(), stored.get(field.name()));
      } else if (values.containsKey(field.name())) {
        full.put(field.pos(), convert(field, values.get(field.name())));
      }
    }
    return full;
  }

  /** The columns of {@code schema} that the file lacks and its directories name. */
  static Set<String> suppliedByPath(Schema schema, Schema fileSchema, Map<String, String> values) {
    Set<String> supplied = new java.util.LinkedHashSet<>();
    for (String name : values.keySet()) {
      if (schema.getField(name) != null && fileSchema.getField(name) == null) {
        supplied.add(name);
      }
    }
    return supplied;
  }

  private static Object convert(Schema.Field field, String value) {
    Schema type = TrajectoryCodec.nonNull(field.schema());
    try {
      return switch (type.getType()) {
        case INT -> Integer.parseInt(value);
        case LONG -> Long.parseLong(value);
        case STRING -> value;
        default -> throw new FieldValueException(field.name(), "cannot come from a directory name");
      };
    } catch (NumberFormatException e) {
      throw new FieldValueException(
          field.name(), "the directory gives '" + value + "', which is not " + type.getType().getName());
    }
  }
}
