package dev.crucible.jobs;

import dev.crucible.rollout.sandbox.SandboxChoice;
import picocli.CommandLine.Option;

/** The {@code --sandbox}, {@code --runtime} and {@code --warm-pool} options of every command that runs sandboxes. */
final class SandboxOptions {
  @Option(
      names = "--sandbox",
      defaultValue = "docker",
      paramLabel = "BACKEND",
      description = "docker, or process (no isolation: opt-in, only for trusted agents on hosts without Docker) (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(
      names = "--runtime",
      paramLabel = "NAME",
      description = "Docker runtime for the sandboxes, for example runsc (gVisor) for untrusted models (default: the daemon's).")
  String runtime;

  @Option(
      names = "--warm-pool",
      defaultValue = "0",
      paramLabel = "N",
      description = "Docker containers each executor keeps started ahead, per image and limits; each serves one sandbox (default: ${DEFAULT-VALUE}).")
  int warmPool;

  /** The choice, checked. @throws IllegalArgumentException naming a bad backend, runtime or pool size */
  SandboxChoice choice() {
    return SandboxChoice.of(backend, runtime, warmPool);
  }
}
