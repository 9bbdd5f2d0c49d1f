package dev.crucible.rollout.sandbox;

/** Quoting for {@code sh}: any text becomes one word. */
public final class ShellQuote {
  private ShellQuote() {}

  /** {@code text} in single quotes, each inner single quote written as {@code '\''}. */
  public static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
