package dev.crucible.rollout.sandbox;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sandboxes (and containers of prebuilt images) not yet closed, closed by a shutdown hook when the JVM exits normally or on SIGTERM. A
 * JVM killed with SIGKILL runs no hook: its containers are left to
 * {@link dev.crucible.rollout.sandbox.docker.SandboxSweeper}.
 */
public final class OpenSandboxes {
  private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(OpenSandboxes::closeAll, "crucible-sandbox-cleanup"));
  }

  private OpenSandboxes() {}

  /** Called by a backend once a sandbox exists. */
  public static void opened(AutoCloseable sandbox) {
    OPEN.add(sandbox);
  }

  /** Called by a backend when a sandbox is closed. */
  public static void closed(AutoCloseable sandbox) {
    OPEN.remove(sandbox);
  }

  private static void closeAll() {
    for (AutoCloseable sandbox : List.copyOf(OPEN)) {
      try {
        sandbox.close();
      } catch (Exception e) {
        // The JVM is going: the sweeper removes what this could not.
      }
    }
  }
}
