package dev.crucible.jobs;

import dev.crucible.rollout.sandbox.SandboxChoice;
import picocli.CommandLine.Option;

/** The {@code --sandbox} and {@code --runtime} options of every command that runs sandboxes. */
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

  /** The choice, checked. @throws IllegalArgumentException naming a bad backend or runtime */
  SandboxChoice choice() {
    return SandboxChoice.of(backend, runtime);
  }
}
