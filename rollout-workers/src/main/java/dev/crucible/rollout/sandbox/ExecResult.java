package dev.crucible.rollout.sandbox;

import java.util.Objects;

/**
 * What a command did.
 *
 * @param exitCode the exit status; 124 or 137 after a timeout, 137 after the OOM killer
 * @param stdout standard output, decoded as UTF-8 (invalid bytes replaced), head and tail kept when
 *     longer than the limit, with a marker in between
 * @param stderr standard error, bounded the same way
 * @param stdoutBytes bytes the command wrote to standard output in all
 * @param stderrBytes bytes the command wrote to standard error in all
 * @param durationMillis wall time, milliseconds
 * @param timedOut the command ran past its timeout and was killed
 * @param oomKilled a process of the command was killed for exceeding the memory limit
 */
public record ExecResult(
    int exitCode,
    String stdout,
    String stderr,
    long stdoutBytes,
    long stderrBytes,
    long durationMillis,
    boolean timedOut,
    boolean oomKilled) {

  public ExecResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /** Exit code 0 and not killed. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut && !oomKilled;
  }
}
