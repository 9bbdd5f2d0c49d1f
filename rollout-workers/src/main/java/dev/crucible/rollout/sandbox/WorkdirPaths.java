package dev.crucible.rollout.sandbox;

import java.nio.file.Path;

/** Lexical checks of paths handed to a sandbox: relative, and never above the workdir. */
public final class WorkdirPaths {
  private WorkdirPaths() {}

  /**
   * {@code relativePath} normalized, for example {@code src/../a.py} to {@code a.py}.
   *
   * @throws SandboxException of kind {@code BAD_REQUEST} when it is absolute, empty or climbs out
   */
  public static String normalize(String relativePath) {
    if (relativePath == null || relativePath.isBlank()) {
      throw new SandboxException(SandboxException.Kind.BAD_REQUEST, "empty path");
    }
    Path path = Path.of(relativePath);
    if (path.isAbsolute()) {
      throw new SandboxException(
          SandboxException.Kind.BAD_REQUEST, "path '" + relativePath + "' must be relative to the repository");
    }
    Path normalized = path.normalize();
    if (normalized.startsWith("..")) {
      throw new SandboxException(
          SandboxException.Kind.BAD_REQUEST, "path '" + relativePath + "' leaves the repository");
    }
    String text = normalized.toString();
    return text.isEmpty() ? "." : text;
  }
}
