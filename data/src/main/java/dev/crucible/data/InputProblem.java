package dev.crucible.data;

/**
 * One thing wrong with an input file, located as precisely as the format allows.
 *
 * @param source the file
 * @param line 1-based line (JSONL) or row (Parquet) number, or 0 when the problem is the whole file
 * @param field the field or column concerned, or {@code null}
 * @param message what is wrong, in words a user can act on
 */
public record InputProblem(String source, long line, String field, String message) {

  /**
   * The problem a row decoder raised: a {@link dev.crucible.data.io.FieldValueException} names its
   * field; a record's own check ({@link IllegalArgumentException}, {@link NullPointerException}) does
   * not.
   */
  public static InputProblem ofRow(String source, long line, RuntimeException error) {
    String field =
        error instanceof dev.crucible.data.io.FieldValueException fieldError ? fieldError.field() : null;
    return new InputProblem(source, line, field, error.getMessage());
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(source);
    if (line > 0) {
      text.append(':').append(line);
    }
    text.append(": ");
    if (field != null) {
      text.append("field '").append(field).append("': ");
    }
    return text.append(message).toString();
  }
}
