package dev.crucible.rollout.sandbox;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * The labels every sandbox container carries, and the identity of the process that owns it, so a
 * sweeper can tell a container whose JVM died from one still in use.
 */
public final class SandboxLabels {
  /** Marks a container as a Crucible sandbox. */
  public static final String SANDBOX = "dev.crucible.sandbox";
  public static final String RUN = "dev.crucible.run";
  public static final String TASK = "dev.crucible.task";
  /** {@code host:pid:start-millis} of the owning JVM. */
  public static final String OWNER = "dev.crucible.owner";

  private SandboxLabels() {}

  /** The labels of a new sandbox owned by this JVM. */
  public static Map<String, String> of(SandboxSpec spec) {
    return of(spec.runId(), spec.taskId());
  }

  /** The labels of a new container owned by this JVM that serves {@code taskId} in {@code runId}. */
  public static Map<String, String> of(String runId, String taskId) {
    return Map.of(SANDBOX, "true", RUN, runId, TASK, taskId, OWNER, currentOwner());
  }

  /**
   * This JVM's owner id: host, pid and the process's start time as the operating system reports it,
   * the same clock {@link #ownerIsDeadHere} reads back. (The JVM's own start time comes seconds later on
   * a loaded machine, which once made a live JVM's sandboxes look orphaned.)
   */
  public static String currentOwner() {
    long started = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
        .orElse(ManagementFactory.getRuntimeMXBean().getStartTime());
    return hostName() + ":" + ProcessHandle.current().pid() + ":" + started;
  }

  /**
   * Whether the owner named by {@code owner} is a process of this host that is gone. Owners on other
   * hosts, and malformed values, are never called dead: only their own host can tell.
   */
  public static boolean ownerIsDeadHere(String owner) {
    String[] parts = owner == null ? new String[0] : owner.split(":");
    if (parts.length != 3 || !parts[0].equals(hostName())) {
      return false;
    }
    try {
      long pid = Long.parseLong(parts[1]);
      long startMillis = Long.parseLong(parts[2]);
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isEmpty() || !process.get().isAlive()) {
        return true;
      }
      // The pid may have been reused by a later process: compare start times (to the second).
      return process.get().info().startInstant()
          .map(start -> Math.abs(start.toEpochMilli() - startMillis) > 2_000)
          .orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
    }
  }
}
