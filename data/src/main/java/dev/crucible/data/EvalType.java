package dev.crucible.data;

import java.util.Locale;

/** How a SWE-bench 5 row's tests are graded (its {@code eval_type}). */
public enum EvalType {
  /** FAIL_TO_PASS tests must pass and PASS_TO_PASS tests keep passing: the default. */
  PASS_AND_FAIL,
  /** For runners that report failures only: a test passes unless the log says it FAILED. */
  FAIL_ONLY;

  /**
   * The type a row's {@code eval_type} names ({@code pass_and_fail}, {@code fail_only}); an absent or
   * empty one is {@link #PASS_AND_FAIL}, as in SWE-bench.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static EvalType ofRowValue(String value) {
    if (value == null || value.isEmpty()) {
      return PASS_AND_FAIL;
    }
    for (EvalType type : values()) {
      if (type.rowValue().equals(value)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown eval_type '" + value + "'; known: pass_and_fail, fail_only");
  }

  public String rowValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
