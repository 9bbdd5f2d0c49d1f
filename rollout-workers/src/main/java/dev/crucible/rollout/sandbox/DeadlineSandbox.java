package dev.crucible.rollout.sandbox;

import java.time.Duration;
import java.time.Instant;

/**
 * A sandbox whose commands may not run past a deadline: each command's timeout is cut to the time
 * left (at least one second, so a command can still report that time is up). Everything else goes to
 * the sandbox it wraps. Closing it does not close that sandbox: its owner does.
 */
public final class DeadlineSandbox implements Sandbox {
  private static final Duration LEAST = Duration.ofSeconds(1);

  private final Sandbox sandbox;
  private final Instant deadline;

  public DeadlineSandbox(Sandbox sandbox, Instant deadline) {
    this.sandbox = sandbox;
    this.deadline = deadline;
  }

  /** Whether the deadline has passed. */
  public boolean pastDeadline() {
    return !Instant.now().isBefore(deadline);
  }

  @Override
  public String workdir() {
    return sandbox.workdir();
  }

  @Override
  public ExecResult exec(String command, Duration timeout) {
    Duration left = Duration.between(Instant.now(), deadline);
    Duration capped = timeout.compareTo(left) <= 0 ? timeout : left.compareTo(LEAST) < 0 ? LEAST : left;
    return sandbox.exec(command, capped);
  }

  @Override
  public byte[] readFile(String relativePath) {
    return sandbox.readFile(relativePath);
  }

  @Override
  public String resolvePath(String relativePath, boolean mustExist) {
    return sandbox.resolvePath(relativePath, mustExist);
  }

  @Override
  public void writeFile(String relativePath, byte[] content) {
    sandbox.writeFile(relativePath, content);
  }

  @Override
  public String writeScratchFile(String name, byte[] content) {
    return sandbox.writeScratchFile(name, content);
  }

  @Override
  public String diff() {
    return sandbox.diff();
  }

  @Override
  public void close() {
    // The wrapped sandbox belongs to whoever created it.
  }
}
