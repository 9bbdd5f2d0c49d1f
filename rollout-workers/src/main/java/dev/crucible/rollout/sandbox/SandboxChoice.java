package dev.crucible.rollout.sandbox;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which sandboxes a job uses: the backend, for Docker the runtime (for example {@code runsc}, gVisor,
 * for clusters that run untrusted models), and how many containers to keep started ahead.
 * Serializable, so executors receive it.
 *
 * @param backend the backend
 * @param runtime the Docker runtime, or {@code null} for the daemon's default
 * @param warmPool containers each JVM keeps started per shape before they are asked for (Docker only; 0: none)
 */
public record SandboxChoice(SandboxFactory.Backend backend, String runtime, int warmPool) implements Serializable {
  private static final long serialVersionUID = 2L;

  public SandboxChoice {
    Objects.requireNonNull(backend, "backend");
    if (runtime != null && backend != SandboxFactory.Backend.DOCKER) {
      throw new IllegalArgumentException("a runtime (" + runtime + ") applies only to the docker backend");
    }
    if (runtime != null && !runtime.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("runtime must be a plain name, got '" + runtime + "'");
    }
    if (warmPool < 0 || (warmPool > 0 && backend != SandboxFactory.Backend.DOCKER)) {
      throw new IllegalArgumentException("a warm pool (" + warmPool + ") is 0 or more containers, and only for the docker backend");
    }
  }

  /** Docker with the daemon's default runtime. */
  public static SandboxChoice docker() {
    return new SandboxChoice(SandboxFactory.Backend.DOCKER, null, 0);
  }

  /** The choice a command line or config names: a backend name, an optional runtime and a warm pool's size. */
  public static SandboxChoice of(String backend, String runtime, int warmPool) {
    return new SandboxChoice(SandboxFactory.Backend.named(backend), runtime == null || runtime.isBlank() ? null : runtime, warmPool);
  }
}
