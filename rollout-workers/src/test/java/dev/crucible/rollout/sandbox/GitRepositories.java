package dev.crucible.rollout.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small real git repositories for sandbox tests. */
public final class GitRepositories {
  private GitRepositories() {}

  /**
   * A Python project with a passing pytest suite. Its first commit is the base; a second commit adds
   * {@code FUTURE.txt}, which a sandbox at the base must not show, nor any history leading to it.
   *
   * @return the hash of the base commit
   */
  public static String pythonProject(Path directory) throws IOException {
    Files.createDirectories(directory.resolve("calc"));
    Files.createDirectories(directory.resolve("tests"));
    Files.writeString(directory.resolve("calc/__init__.py"), "def add(a, b):\n    return a + b\n");
    Files.writeString(
        directory.resolve("tests/test_calc.py"),
        "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n");
    Git.run(directory, "init", "-q");
    Git.run(directory, "add", "-A");
    Git.run(directory, "commit", "-q", "-m", "base");
    String base = Git.run(directory, "rev-parse", "HEAD").trim();
    Files.writeString(directory.resolve("FUTURE.txt"), "the fix lives here\n");
    Git.run(directory, "add", "-A");
    Git.run(directory, "commit", "-q", "-m", "future");
    return base;
  }
}
