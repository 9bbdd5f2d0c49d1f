package dev.crucible.jobs;

import dev.crucible.rollout.sandbox.docker.DockerClients;
import dev.crucible.rollout.sandbox.docker.SandboxSweeper;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible sandbox …}. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "Sandbox housekeeping.",
    subcommands = {SandboxCommand.Gc.class})
final class SandboxCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (gc)");
  }

  /** {@code crucible sandbox gc}. */
  @Command(
      name = "gc",
      mixinStandardHelpOptions = true,
      description = {
        "Removes sandbox containers whose owning process on this host is gone (a killed JVM), and with",
        "--max-age, every sandbox older than that. Rollouts do this at start-up too."
      })
  static final class Gc implements Runnable {
    @Option(
        names = "--max-age",
        paramLabel = "DURATION",
        description = "Also remove sandboxes older than this, whoever owns them (ISO-8601, e.g. PT6H).")
    Duration maxAge;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      SandboxSweeper.Sweep sweep = new SandboxSweeper(DockerClients.fromEnvironment()).sweep(maxAge);
      spec.commandLine().getOut().printf(
          "sandbox gc: %d sandbox containers, removed %d%n", sweep.sandboxes(), sweep.removed().size());
      sweep.removed().forEach(id -> spec.commandLine().getOut().println("  removed " + id));
      spec.commandLine().getOut().flush();
    }
  }
}
