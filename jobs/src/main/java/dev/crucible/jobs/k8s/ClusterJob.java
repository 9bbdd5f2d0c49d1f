package dev.crucible.jobs.k8s;

import dev.crucible.jobs.PipelineJob;
import dev.crucible.jobs.TrainJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The jobs {@code k8s render} writes an application for: those whose settings are one config file. Rollout and
 * evaluate take their settings as options; k8s/overlays/rollout and k8s/overlays/evaluate show them.
 */
public enum ClusterJob {
  PIPELINE(PipelineJob.class, null),
  SFT(TrainJob.class, "sft"),
  DPO(TrainJob.class, "dpo"),
  GRPO(TrainJob.class, "grpo"),
  RLOO(TrainJob.class, "rloo"),
  PPO(TrainJob.class, "ppo");

  /** The port of {@code --metrics-port}, which the metrics Service of k8s/base/metrics.yaml targets. */
  public static final int METRICS_PORT = 9464;

  private final Class<?> mainClass;
  private final String subcommand;

  ClusterJob(Class<?> mainClass, String subcommand) {
    this.mainClass = mainClass;
    this.subcommand = subcommand;
  }

  /**
   * The job called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names when none is
   */
  public static ClusterJob named(String name) {
    return java.util.Arrays.stream(values()).filter(job -> job.configName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job '" + name + "'; known: "
            + java.util.Arrays.stream(values()).map(ClusterJob::configName).collect(java.util.stream.Collectors.joining(", "))));
  }

  /** The name {@code --job} takes: pipeline, sft, dpo, grpo, rloo or ppo. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Class<?> mainClass() {
    return mainClass;
  }

  /** Training serves its gauges at {@link #METRICS_PORT} and trains on a GPU driver; the pipeline does neither. */
  public boolean trains() {
    return subcommand != null;
  }

  /** The main class's arguments for a config at {@code configPath}. */
  public List<String> arguments(String configPath) {
    List<String> arguments = new ArrayList<>();
    if (trains()) {
      arguments.add(subcommand);
    }
    arguments.addAll(List.of("--config", configPath));
    if (trains()) {
      arguments.addAll(List.of("--metrics-port", String.valueOf(METRICS_PORT)));
    }
    return arguments;
  }
}
