/**
 * Parquet storage through parquet-avro: the Avro schemas of record (the {@code .avsc} files under
 * {@code src/main/avro}), one codec per record type that is the only place converting between the
 * Java records and Avro, partitioned tables with atomic part files, and the trajectory store.
 */
package dev.crucible.data.parquet;
