package dev.crucible.data.swebench;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import org.apache.hadoop.fs.Path;

/** The file formats SWE-bench data comes in, told apart by extension. */
enum Format {
  JSONL,
  /** One JSON document holding the rows. */
  JSON,
  PARQUET;

  /**
   * The format of {@code path}: {@code .jsonl} for JSON Lines; {@code .json} for one JSON document;
   * {@code .parquet}, or a directory without an extension, for Parquet.
   *
   * @throws InvalidInputException for any other extension
   */
  static Format of(Path path) {
    String name = path.getName();
    if (name.endsWith(".jsonl")) {
      return JSONL;
    }
    if (name.endsWith(".json")) {
      return JSON;
    }
    if (name.endsWith(".parquet") || !name.contains(".")) {
      return PARQUET;
    }
    throw new InvalidInputException(
        new InputProblem(
            path.toString(), 0, null, "unknown file format; use a .jsonl, .json or .parquet file"));
  }
}
