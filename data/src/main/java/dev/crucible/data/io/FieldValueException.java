package dev.crucible.data.io;

/**
 * A field of one row holds a value the decoder cannot accept. Readers catch it and report it with the
 * file and the line or row number as an {@link dev.crucible.data.InputProblem}.
 */
public final class FieldValueException extends RuntimeException {
  private final String field;

  public FieldValueException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
