package dev.crucible.data.parquet;

import dev.crucible.data.io.FieldValueException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Typed reads of fields from records that may come from foreign files: absent fields read as null,
 * Avro's {@code Utf8} becomes {@link String}, and a wrong type is a {@link FieldValueException}.
 */
final class AvroFields {
  private AvroFields() {}

  static Object value(GenericRecord record, String field) {
    return record.getSchema().getField(field) == null ? null : record.get(field);
  }

  static String optionalString(GenericRecord record, String field) {
    Object value = value(record, field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof CharSequence)) {
      throw wrongType(field, "a string", value);
    }
    return value.toString();
  }

  static String requiredString(GenericRecord record, String field) {
    return require(field, optionalString(record, field));
  }

  static <N> N optional(GenericRecord record, String field, Class<N> type) {
    Object value = value(record, field);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw wrongType(field, "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT), value);
    }
    return type.cast(value);
  }

  static <N> N required(GenericRecord record, String field, Class<N> type) {
    return require(field, optional(record, field, type));
  }

  static GenericRecord optionalRecord(GenericRecord record, String field) {
    return optional(record, field, GenericRecord.class);
  }

  /** A list field; elements are checked to be {@code elementType} and copied. */
  static <E> List<E> list(GenericRecord record, String field, Class<E> elementType) {
    Collection<?> values = required(record, field, Collection.class);
    List<E> copy = new ArrayList<>(values.size());
    for (Object element : values) {
      if (!elementType.isInstance(element)) {
        throw wrongType(field, "a list of " + elementType.getSimpleName(), element);
      }
      copy.add(elementType.cast(element));
    }
    return copy;
  }

  /** A list of strings (Avro reads them as {@code Utf8} or {@code String}). */
  static List<String> stringList(GenericRecord record, String field) {
    Collection<?> values = required(record, field, Collection.class);
    List<String> copy = new ArrayList<>(values.size());
    for (Object element : values) {
      if (!(element instanceof CharSequence text)) {
        throw wrongType(field, "a list of strings", element);
      }
      copy.add(text.toString());
    }
    return copy;
  }

  private static <V> V require(String field, V value) {
    if (value == null) {
      throw new FieldValueException(field, "missing required value");
    }
    return value;
  }

  private static FieldValueException wrongType(String field, String expected, Object value) {
    return new FieldValueException(
        field, "expected " + expected + ", got " + value.getClass().getSimpleName());
  }
}
