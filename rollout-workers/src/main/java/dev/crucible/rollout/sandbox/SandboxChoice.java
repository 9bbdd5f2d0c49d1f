package dev.crucible.rollout.sandbox;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which sandboxes a job uses: the backend, and for Docker the runtime (for example {@code runsc},
 * gVisor, for clusters that run untrusted models). Serializable, so executors receive it.
 *
 * @param backend the backend
 * @param runtime the Docker runtime, or {@code null} for the daemon's default
 */
public record SandboxChoice(SandboxFactory.Backend backend, String runtime) implements Serializable {
  private static final long serialVersionUID = 1L;

  public SandboxChoice {
    Objects.requireNonNull(backend, "backend");
    if (runtime != null && backend != SandboxFactory.Backend.DOCKER) {
      throw new IllegalArgumentException("a runtime (" + runtime + ") applies only to the docker backend");
    }
    if (runtime != null && !runtime.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("runtime must be a plain name, got '" + runtime + "'");
    }
  }

  /** Docker with the daemon's default runtime. */
  public static SandboxChoice docker() {
    return new SandboxChoice(SandboxFactory.Backend.DOCKER, null);
  }

  /** The choice a command line or config names: a backend name and an optional runtime. */
  public static SandboxChoice of(String backend, String runtime) {
    return new SandboxChoice(SandboxFactory.Backend.named(backend), runtime == null || runtime.isBlank() ? null : runtime);
  }
}
