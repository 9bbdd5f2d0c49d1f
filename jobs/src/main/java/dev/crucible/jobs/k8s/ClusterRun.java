package dev.crucible.jobs.k8s;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.jobs.config.YamlSection;
import dev.crucible.jobs.pipeline.PipelineConfig;
import dev.crucible.jobs.train.RlConfig;
import dev.crucible.jobs.train.RlRun;
import dev.crucible.jobs.train.TrainConfig;
import dev.crucible.trainer.rl.Algorithm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the manifests need from a run config, read and checked by the job's own config parser.
 *
 * @param name the run's name: the pipeline's run_id, a training's output folder name
 * @param sandboxesPerExecutor the most sandboxes one executor runs at once (max_workers); 0 for none
 * @param executorConf the config's {@code spark.executor.instances}, {@code .cores} and {@code .memory}, as given
 */
public record ClusterRun(String name, int sandboxesPerExecutor, Map<String, String> executorConf) {
  /** The Spark settings that size executors, copied into the application when the config has them. */
  public static final List<String> EXECUTOR_KEYS = List.of("spark.executor.instances", "spark.executor.cores", "spark.executor.memory");

  /** A training config's {@code rollout.max_workers} when absent, as {@link RlConfig} reads it. */
  private static final int DEFAULT_MAX_WORKERS = 2;

  public ClusterRun {
    executorConf = Map.copyOf(executorConf);
  }

  /**
   * Reads {@code file} as {@code job}'s config.
   *
   * @throws InvalidInputException naming the file, line and key of every problem
   */
  public static ClusterRun read(ClusterJob job, Path file) {
    return switch (job) {
      case PIPELINE -> pipeline(file);
      case SFT, DPO -> training(file, () -> TrainConfig.load(file, job.configName()), List.of("model.checkpoint", "data.runs"), false);
      case GRPO, RLOO, PPO -> training(file, () -> RlRun.requireCompatible(RlConfig.load(file), Algorithm.valueOf(job.name())),
          List.of("model.checkpoint", "tasks", "repositories", "evaluation.tasks", "evaluation.repositories"), true);
    };
  }

  private static ClusterRun pipeline(Path file) {
    PipelineConfig config = PipelineConfig.load(file);
    YamlSection spark = YamlSection.load(file).section("spark");
    if (spark.has("master")) {
      // An explicit master wins over spark-submit's k8s:// one: every task would run inside the driver pod.
      spark.reject("master", "remove it on Kubernetes: spark-submit sets the master, and '" + config.sparkMaster()
          + "' would run every task in the driver pod");
    }
    Map<String, String> executorConf = new java.util.LinkedHashMap<>();
    for (String key : EXECUTOR_KEYS) {
      String value = config.sparkConf().get(key);
      if (value != null && !key.endsWith("memory") && !value.matches("[1-9][0-9]{0,5}")) {
        spark.reject("conf", key + " must be a positive integer, got '" + value + "'");
      } else if (value != null) {
        executorConf.put(key, value);
      }
    }
    spark.problems().throwIfAny();
    int sandboxes = config.rollout() == null ? 0 : config.rollout().maxWorkers();
    if (config.heldOut() != null) {
      sandboxes = Math.max(sandboxes, config.heldOut().maxWorkers());
    }
    Map<String, Object> grpo = config.training().getOrDefault(dev.crucible.jobs.pipeline.PipelineStage.GRPO, Map.of());
    if (grpo.get("rollout") instanceof Map<?, ?> rollout && rollout.get("max_workers") instanceof Integer workers) {
      sandboxes = Math.max(sandboxes, workers);
    }
    return new ClusterRun(config.runId(), sandboxes, executorConf);
  }

  /**
   * A training config, checked by its own parser except for {@code clusterInputs}: the checkpoint, runs and
   * tasks it names live on the storage the job reads where it runs, not on this machine, so a problem on such
   * a key that is given is that the input is missing here, which is expected. Only reinforcement learning
   * runs sandboxes (its rollouts); SFT and DPO read tables.
   */
  private static ClusterRun training(Path file, Runnable load, List<String> clusterInputs, boolean rollsOut) {
    YamlSection root = YamlSection.load(file);
    try {
      load.run();
    } catch (InvalidInputException e) {
      List<InputProblem> kept = e.problems().stream().filter(problem -> !clusterInputs.contains(problem.field()) || !given(root, problem.field()))
          .toList();
      if (!kept.isEmpty()) {
        throw new InvalidInputException(kept);
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, "rl", e.getMessage()));
    }
    String output = root.requiredString("output");
    int sandboxes = rollsOut ? root.section("rollout").integer("max_workers", DEFAULT_MAX_WORKERS, 1) : 0;
    root.problems().throwIfAny();
    return new ClusterRun(Path.of(output).getFileName().toString(), sandboxes, Map.of());
  }

  private static boolean given(YamlSection root, String dottedKey) {
    String[] keys = dottedKey.split("\\.");
    YamlSection section = root;
    for (int i = 0; i < keys.length - 1; i++) {
      if (!section.has(keys[i])) {
        return false;
      }
      section = section.section(keys[i]);
    }
    return section.has(keys[keys.length - 1]);
  }
}
