package dev.crucible.rollout.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small real git repositories for sandbox tests. */
public final class GitRepositories {
  private GitRepositories() {}

  /**
   * A Python project with a passing pytest suite. Its first commit is the base; a second commit adds
   * {@code FUTURE.txt}, which a sandbox at the base must not show, nor any history leading to it.
   *
   * @return the hash of the base commit
   */
  public static String pythonProject(Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory.resolve("calc"));
    Files.createDirectories(directory.resolve("tests"));
    Files.writeString(directory.resolve("calc/__init__.py"), "def add(a, b):\n    return a + b\n");
    Files.writeString(
        directory.resolve("tests/test_calc.py"),
        "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n");
    git(directory, "init", "-q");
    git(directory, "add", "-A");
    git(directory, "commit", "-q", "-m", "base");
    String base = git(directory, "rev-parse", "HEAD").trim();
    Files.writeString(directory.resolve("FUTURE.txt"), "the fix lives here\n");
    git(directory, "add", "-A");
    git(directory, "commit", "-q", "-m", "future");
    return base;
  }

  static String git(Path directory, String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(
        "git", "-C", directory.toString(), "-c", "user.name=test", "-c", "user.email=test@localhost"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("git " + String.join(" ", arguments) + " failed: " + output);
    }
    return output;
  }
}
