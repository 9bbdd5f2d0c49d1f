package dev.crucible.rollout.sandbox;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sandboxes not yet closed, closed by a shutdown hook when the JVM exits normally or on SIGTERM. A
 * JVM killed with SIGKILL runs no hook: its containers are left to
 * {@link dev.crucible.rollout.sandbox.docker.SandboxSweeper}.
 */
public final class OpenSandboxes {
  private static final Set<Sandbox> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(OpenSandboxes::closeAll, "crucible-sandbox-cleanup"));
  }

  private OpenSandboxes() {}

  /** Called by a backend once a sandbox exists. */
  public static void opened(Sandbox sandbox) {
    OPEN.add(sandbox);
  }

  /** Called by a backend when a sandbox is closed. */
  public static void closed(Sandbox sandbox) {
    OPEN.remove(sandbox);
  }

  private static void closeAll() {
    for (Sandbox sandbox : List.copyOf(OPEN)) {
      sandbox.close();
    }
  }
}
