package dev.crucible.data.parquet;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Converts one record type to and from Avro. Each record type has exactly one codec, so the mapping
 * of Java names to column names lives in one place.
 */
public interface AvroCodec<T> {

  /** The schema rows are written with. */
  Schema schema();

  /** The Avro form of {@code value}. */
  GenericRecord encode(T value);

  /**
   * The record held in {@code record}, which may come from a file written by another tool.
   *
   * @throws dev.crucible.data.io.FieldValueException when a field holds a value the record rejects
   * @throws IllegalArgumentException when the fields are individually fine but inconsistent
   */
  T decode(GenericRecord record);

  /** The column that identifies a row; readers keep one row per value of it. */
  String keyField();

  /** The value of {@link #keyField()} for {@code value}. */
  String key(T value);
}
