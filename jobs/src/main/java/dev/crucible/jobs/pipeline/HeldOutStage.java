package dev.crucible.jobs.pipeline;

import dev.crucible.data.RunLayout;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.jobs.rollout.RolloutRun;
import dev.crucible.jobs.rollout.RolloutSettings;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.agent.PolicyFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The held-out tasks, never trained on, attempted by the rollout's policy (for the scripted expert, the
 * ceiling) and by the model each training stage left, through real rollouts: {@code RUN/held-out/<stage>/}
 * holds each one's episodes, as {@code crucible rollout} writes them. A rerun keeps the episodes already
 * written.
 */
public final class HeldOutStage {
  /** The folder under the run directory. */
  public static final String FOLDER = RunLayout.HELD_OUT;

  private final PipelineConfig config;
  private final Path run;
  private final PrintStream progress;

  HeldOutStage(PipelineConfig config, Path run, PrintStream progress) {
    this.config = config;
    this.run = run;
    this.progress = progress;
  }

  void run(SparkSession spark) {
    PipelineConfig.HeldOut settings = config.heldOut();
    org.apache.hadoop.fs.Path tasks = tasks(config, run);
    org.apache.hadoop.fs.Path repositories = repositories(config, run);
    for (Map.Entry<String, String> entry : policies().entrySet()) {
      progress.printf("held_out: %s (%s)%n", entry.getKey(), entry.getValue());
      RolloutSettings rollout = new RolloutSettings(run.resolve(FOLDER).resolve(entry.getKey()).toString(), 0, entry.getValue(),
          config.rollout().scaffold(), settings.mode(), Modes.DEFAULT, settings.samples(), settings.maxWorkers(), config.sandbox(), 0, 3,
          settings.episodeTimeout(), -1, true, RewardWeights.defaults(), 0);
      new RolloutRun(rollout, progress).run(spark, tasks, repositories);
    }
  }

  /** The held-out tasks: the section's {@code tasks}, else those the tasks stage held out. */
  static org.apache.hadoop.fs.Path tasks(PipelineConfig config, Path run) {
    String given = config.heldOut().tasks();
    return given == null ? RunLayout.local(run).heldOutTasks() : HadoopFiles.userPath(given);
  }

  /** Their repositories: beside a given tasks file ({@code repos/}), else the run's. */
  static org.apache.hadoop.fs.Path repositories(PipelineConfig config, Path run) {
    return config.heldOut().tasks() == null ? RunLayout.local(run).repositories()
        : new org.apache.hadoop.fs.Path(tasks(config, run).getParent(), "repos");
  }

  /** By stage name: the rollout's policy, then each training stage's model, in stage order. */
  private Map<String, String> policies() {
    Map<String, String> policies = new LinkedHashMap<>();
    policies.put(PipelineStage.ROLLOUT.configName(), config.rollout().policy());
    for (PipelineStage stage : PipelineConfig.TRAINING) {
      if (config.training().containsKey(stage)) {
        Optional<Path> model = TrainingStage.model(stage, config, run);
        if (model.isEmpty()) {
          throw new IllegalStateException(stage.configName() + " left no model in " + StageConfigs.output(stage, config, run));
        }
        policies.put(stage.configName(), PolicyFactory.inProcess(model.get().toString(), config.heldOut().temperature()));
      }
    }
    return policies;
  }
}
