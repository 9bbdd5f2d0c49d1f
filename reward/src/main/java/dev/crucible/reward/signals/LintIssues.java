package dev.crucible.reward.signals;

/**
 * Counts pyflakes or flake8 issues in their output: one per line of the form {@code path:line:…}.
 * Lines of any other shape (syntax-error context, carets) are not issues of their own.
 */
public final class LintIssues {
  private LintIssues() {}

  public static int count(String linterOutput) {
    int issues = 0;
    for (String line : linterOutput.split("\n")) {
      if (line.matches("^[^:\\s]+:\\d+:.*")) {
        issues++;
      }
    }
    return issues;
  }

  /** Issues the patch introduced: those after it beyond those before, never below zero. */
  public static int introduced(int before, int after) {
    return Math.max(0, after - before);
  }
}
