package dev.crucible.jobs.config;

import dev.crucible.rollout.sandbox.SandboxChoice;

/**
 * The {@code sandbox} section every job config shares: {@code backend} (docker, or process),
 * {@code runtime} (a Docker runtime such as runsc) and {@code warm_pool} (containers started ahead).
 */
public final class SandboxSection {
  private SandboxSection() {}

  /** The section's choice; a bad value is reported on the key it came from, and Docker stands in for it. */
  public static SandboxChoice read(YamlSection section) {
    String backend = section.string("backend", "docker");
    String runtime = section.string("runtime", null);
    int warmPool = section.integer("warm_pool", 0, 0);
    SandboxChoice sandbox = SandboxChoice.docker();
    try {
      sandbox = SandboxChoice.of(backend, runtime, warmPool);
    } catch (IllegalArgumentException e) {
      String key = e.getMessage().contains("warm pool") ? "warm_pool"
          : runtime != null && e.getMessage().contains("runtime") ? "runtime" : "backend";
      section.reject(key, e.getMessage());
    }
    section.finish();
    return sandbox;
  }
}
