/**
 * Reading and writing the SWE-bench file formats as published: task instances in JSONL or Parquet,
 * predictions in JSONL. The format is chosen by the file extension.
 */
package dev.crucible.data.swebench;
