package dev.crucible.rollout.sandbox;

import java.time.Duration;

/**
 * An isolated working copy of a repository in which an agent's commands run. The repository sits at
 * {@link #workdir()} as a fresh git repository whose single commit is the task's base commit, so
 * {@link #diff()} is the agent's change and no later history can leak the fix.
 *
 * <p>File paths given to {@link #readFile} and {@link #writeFile} are relative to the workdir and may
 * not leave it. Implementations are not thread-safe: one episode drives one sandbox.
 */
public interface Sandbox extends AutoCloseable {

  /** Absolute path of the repository inside the sandbox, for example {@code /repo}. */
  String workdir();

  /**
   * Runs {@code command} with {@code sh -c} in the workdir. A command still running after
   * {@code timeout} is killed, with its process group, and reported as timed out.
   *
   * @throws SandboxException when the sandbox itself fails (never for a command that fails)
   */
  ExecResult exec(String command, Duration timeout);

  /**
   * The content of a file.
   *
   * @throws SandboxException of kind {@link SandboxException.Kind#BAD_REQUEST} when the path leaves
   *     the workdir, does not exist or is too large
   */
  byte[] readFile(String relativePath);

  /**
   * The absolute path, inside the sandbox, of {@code relativePath} with symbolic links resolved.
   *
   * @param mustExist whether a missing path is an error
   * @throws SandboxException of kind {@link SandboxException.Kind#BAD_REQUEST} when the path leaves
   *     the workdir, or is missing and must exist
   */
  String resolvePath(String relativePath, boolean mustExist);

  /** Creates or replaces a file, creating its parent directories. */
  void writeFile(String relativePath, byte[] content);

  /**
   * Writes a file outside the workdir, where the tests and {@link #diff()} do not see it, for inputs
   * the platform itself needs (a patch to apply). {@code name} is a plain file name.
   *
   * @return the file's absolute path inside the sandbox
   */
  String writeScratchFile(String name, byte[] content);

  /** The change of the working tree against the base commit, new files included, as a unified diff. */
  String diff();

  /** Removes the sandbox and everything in it. Idempotent; never throws for a sandbox already gone. */
  @Override
  void close();
}
