package dev.crucible.jobs;

import dev.crucible.rollout.images.ImageBuilder;
import dev.crucible.rollout.images.ImageRecipe;
import dev.crucible.rollout.sandbox.docker.DockerClients;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible images …}. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = "Sandbox images.",
    subcommands = {ImagesCommand.Build.class})
final class ImagesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (build)");
  }

  /** {@code crucible images build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Builds the Python sandbox image (" + dev.crucible.rollout.sandbox.SandboxSpec.DEFAULT_IMAGE + ") unless it",
        "exists from the current recipe. Offline by default: debootstrap from this machine's Debian",
        "mirror, then docker import; needs root. --dockerfile builds images/python/Dockerfile instead,",
        "for machines that reach a registry."
      })
  static final class Build implements Runnable {
    @Option(names = "--rebuild", description = "Build even when the image is up to date.")
    boolean rebuild;

    @Option(names = "--dockerfile", description = "Build from the Dockerfile (needs a registry) instead of debootstrap.")
    boolean dockerfile;

    @Option(names = "--mirror", paramLabel = "URL", description = "Debian mirror for debootstrap (default: the one apt uses here).")
    String mirror;

    @Override
    public void run() {
      new ImageBuilder(DockerClients.fromEnvironment(), System.err)
          .ensure(
              ImageRecipe.python(),
              rebuild,
              dockerfile ? ImageBuilder.Method.DOCKERFILE : ImageBuilder.Method.DEBOOTSTRAP,
              mirror);
    }
  }
}
