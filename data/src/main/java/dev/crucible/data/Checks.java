package dev.crucible.data;

import java.util.Objects;

/** Argument checks shared by the records' compact constructors. */
final class Checks {
  private Checks() {}

  static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /** Longest id that becomes a file or folder name. */
  static final int MAX_NAME_LENGTH = 200;

  /**
   * Checks an id that becomes a file or folder name (an instance id, a model's folder): no separator,
   * no {@code .} or {@code ..}, no control character, nothing our readers take for hidden, and at most
   * {@value #MAX_NAME_LENGTH} characters. Such ids come from files users and models write.
   *
   * @throws dev.crucible.data.io.FieldValueException naming {@code field} and the reason
   */
  static String requirePathSafe(String value, String field) {
    Objects.requireNonNull(value, field);
    String problem = null;
    if (value.isBlank()) {
      problem = "must not be blank";
    } else if (value.length() > MAX_NAME_LENGTH) {
      problem = "has " + value.length() + " characters; the limit is " + MAX_NAME_LENGTH;
    } else if (value.equals(".") || value.equals("..") || value.contains("/") || value.contains("\\")) {
      problem = "must not be '.', '..' or hold '/' or '\\'";
    } else if (value.startsWith(".") || value.startsWith("_")) {
      problem = "must not start with '.' or '_' (such files are hidden from the readers)";
    } else if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      problem = "must not hold control characters";
    }
    if (problem != null) {
      String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
      throw new dev.crucible.data.io.FieldValueException(field, "'" + shown.replaceAll("\\p{Cntrl}", "?") + "' " + problem);
    }
    return value;
  }

  static int requireNonNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  static long requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  static double requireFraction(double value, String name) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
    }
    return value;
  }
}
