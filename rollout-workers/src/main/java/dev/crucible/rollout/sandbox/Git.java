package dev.crucible.rollout.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs git on the host, in a repository, with a fixed committer so commits never depend on the user's config. */
public final class Git {
  private Git() {}

  /**
   * The output of {@code git ARGUMENTS} in {@code repository}.
   *
   * @throws IllegalStateException with git's output when it fails
   */
  public static String run(Path repository, String... arguments) {
    Result result = execute(repository, arguments);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", arguments) + " failed in " + repository + ": " + result.output().strip());
    }
    return result.output();
  }

  /** The output of {@code git ARGUMENTS}, or empty when git exits non-zero. */
  public static Optional<String> tryRun(Path repository, String... arguments) {
    Result result = execute(repository, arguments);
    return result.exitCode() == 0 ? Optional.of(result.output()) : Optional.empty();
  }

  private record Result(int exitCode, String output) {}

  private static Result execute(Path repository, String... arguments) {
    List<String> command =
        new ArrayList<>(List.of("git", "-C", repository.toString(), "-c", "user.name=crucible", "-c", "user.email=crucible@localhost"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new SandboxException(SandboxException.Kind.REPOSITORY_SETUP, "cannot run git; is it installed?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(SandboxException.Kind.INTERNAL, "interrupted while running git", e);
    }
  }
}
