package dev.crucible.rollout.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * How a repository enters a sandbox: the tree of the base commit only (from {@code git archive}),
 * made into a fresh one-commit git repository inside the sandbox. The agent sees the code as it was
 * at the base commit and no history that could hold the fix.
 */
public final class RepositorySetup {
  /** Run in the workdir after the tree is in place; prints the new base commit's hash. */
  public static final String INIT_SCRIPT =
      "git init -q && git add -A && git -c user.name=crucible -c user.email=crucible@localhost"
          + " commit -q --no-verify --allow-empty -m base && git rev-parse HEAD";

  /**
   * Run in the workdir to print the change against {@code base}, new files included. Binary files come
   * as git binary patches, paths with unusual bytes quoted, and no external diff driver or text
   * conversion runs.
   */
  public static String diffScript(String base) {
    return "git add -A && git diff --cached --binary --no-ext-diff --no-textconv " + base;
  }

  private RepositorySetup() {}

  /** Most bytes of diff a sandbox returns; a larger change is an error, never a truncated patch. */
  public static final int DIFF_LIMIT_BYTES = 16 << 20;

  /**
   * Checks the diff printed by {@link #diffScript}.
   *
   * @throws SandboxException {@code CHANGE_UNREADABLE} when git failed, {@code OUTPUT_TOO_LARGE} past
   *     {@link #DIFF_LIMIT_BYTES}
   */
  public static void checkedDiff(int exitCode, BoundedOutput stdout, String stderr) {
    if (stdout.totalBytes() > DIFF_LIMIT_BYTES) {
      throw new SandboxException(
          SandboxException.Kind.OUTPUT_TOO_LARGE,
          "the change is " + stdout.totalBytes() + " bytes of diff; the limit is " + DIFF_LIMIT_BYTES);
    }
    if (exitCode != 0) {
      // The tree is the agent's work: a git that fails or times out on it fails on what the agent made.
      throw new SandboxException(SandboxException.Kind.CHANGE_UNREADABLE, "git diff failed (exit " + exitCode + "): " + stderr);
    }
  }

  /** Fails for a sandbox made without a git repository, which has no base to diff against. */
  public static void requireGit(SandboxSpec spec) {
    if (!spec.gitRepository()) {
      throw new IllegalStateException("this sandbox was made without a git repository; it has no diff");
    }
  }

  /**
   * The full hash of {@code revision} in {@code repository}.
   *
   * @throws SandboxException of kind {@code REPOSITORY_SETUP} when it is not a git repository or the
   *     revision does not name a commit
   */
  public static String resolveCommit(Path repository, String revision) {
    return Git.tryRun(repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}")
        .map(String::trim)
        .orElseThrow(
            () ->
                new SandboxException(
                    SandboxException.Kind.REPOSITORY_SETUP,
                    "'" + revision + "' is not a commit of the git repository " + repository));
  }

  /** The full hash of {@code spec}'s base commit, or {@code null} for a sandbox without a repository. */
  public static String baseCommit(SandboxSpec spec) {
    return spec.repository() == null ? null : resolveCommit(spec.repository(), spec.baseCommit());
  }

  /** Starts {@code git archive} of {@code commit}: a tar stream whose entries sit under {@code prefix}. */
  public static Process archive(Path repository, String commit, String prefix) {
    try {
      return new ProcessBuilder("git", "-C", repository.toString(), "archive", "--format=tar", "--prefix=" + prefix, commit)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new SandboxException(SandboxException.Kind.REPOSITORY_SETUP, "cannot run git archive", e);
    }
  }

  /** Waits for an archive process and fails when it did. */
  public static void awaitArchive(Process archive, Path repository) {
    try {
      if (!archive.waitFor(60, TimeUnit.SECONDS) || archive.exitValue() != 0) {
        archive.destroyForcibly();
        throw new SandboxException(
            SandboxException.Kind.REPOSITORY_SETUP, "git archive of " + repository + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      archive.destroyForcibly();
      throw new SandboxException(SandboxException.Kind.INTERNAL, "interrupted while archiving " + repository, e);
    }
  }
}
