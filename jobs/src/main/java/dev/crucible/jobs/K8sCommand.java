package dev.crucible.jobs;

import dev.crucible.data.io.InputFiles;
import dev.crucible.jobs.k8s.ClusterJob;
import dev.crucible.jobs.k8s.ClusterRun;
import dev.crucible.jobs.k8s.K8sImage;
import dev.crucible.jobs.k8s.Manifest;
import dev.crucible.jobs.k8s.ManifestRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible k8s render}. */
@Command(name = "k8s", mixinStandardHelpOptions = true, description = "Kubernetes manifests (spark-operator) for Crucible's jobs.",
    subcommands = K8sCommand.Render.class)
final class K8sCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: render");
  }

  @Command(
      name = "render",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the manifests that run a job on its config with spark-operator: the config as a ConfigMap, the",
        "SparkApplication (executors sized from the config, each with a Docker-in-Docker sidecar; training on a GPU",
        "driver), the driver's RBAC, the metrics Service and ServiceMonitor, and a kustomization.yaml. The config is",
        "checked first, as its job reads it, except that the inputs it names may live on the cluster's storage."
      })
  static final class Render implements Runnable {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The job's config: a pipeline config, or a train config with --job.")
    Path config;

    @Option(names = "--job", defaultValue = "pipeline", paramLabel = "JOB",
        description = "pipeline, sft, dpo, grpo, rloo or ppo (default: ${DEFAULT-VALUE}).")
    String job;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the files (default: all on standard output, for kubectl apply -f -).")
    Path out;

    @Option(names = "--image", defaultValue = K8sImage.DEFAULT, paramLabel = "IMG", description = "The Crucible image (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of every object (default: k8s/base's, crucible).")
    String namespace;

    @Option(names = "--rootless", description = "Rootless Docker in the executors (k8s/components/rootless): no privileged container.")
    boolean rootless;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      ClusterJob chosen;
      try {
        chosen = ClusterJob.named(job);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--job: " + e.getMessage());
      }
      InputFiles.require(config, InputFiles.Kind.FILE);
      ClusterRun run = ClusterRun.read(chosen, config);
      List<Manifest> manifests;
      try {
        manifests = new ManifestRenderer(image, namespace, rootless).render(chosen, run, Files.readString(config));
        if (out == null) {
          spec.commandLine().getOut().print(manifests.stream().map(Manifest::yaml).collect(Collectors.joining("---\n")));
          spec.commandLine().getOut().flush();
          return;
        }
        Files.createDirectories(out);
        for (Manifest manifest : manifests) {
          Files.writeString(out.resolve(manifest.file()), manifest.yaml());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the manifests to " + out, e);
      }
      spec.commandLine().getErr().printf("k8s render: %s for %s in %s: kubectl apply -k %s%n",
          chosen.configName(), config, out, out);
    }
  }
}
