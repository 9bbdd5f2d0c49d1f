package dev.crucible.rollout.search;

/**
 * One searchable unit of a repository snapshot: a file, or a function or method (named by its qualified
 * name, {@code Class.method}, nested functions as {@code outer.inner}).
 *
 * @param path relative to the repository root
 * @param startLine first line, 1-based; a file's is 1
 * @param endLine last line, inclusive
 * @param signature {@code def name(args)} for a function; empty for a file
 * @param docstring the docstring, or empty
 * @param text what else is searched: a function's body, a file's content, each cut to a bounded length
 */
public record CodeUnit(UnitKind kind, String path, String name, int startLine, int endLine, String signature, String docstring, String text) {
  public CodeUnit {
    if (startLine < 1 || endLine < startLine) {
      throw new IllegalArgumentException(path + ": lines " + startLine + "-" + endLine + " are not a range");
    }
  }

  /** Whether this unit holds line {@code line} of its file. */
  public boolean covers(int line) {
    return line >= startLine && line <= endLine;
  }
}
