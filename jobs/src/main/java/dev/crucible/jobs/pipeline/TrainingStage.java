package dev.crucible.jobs.pipeline;

import dev.crucible.jobs.train.RlConfig;
import dev.crucible.jobs.train.RlRun;
import dev.crucible.jobs.train.TrainConfig;
import dev.crucible.jobs.train.TrainRun;
import dev.crucible.trainer.rl.Algorithm;
import dev.crucible.trainer.train.Checkpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * One of the sft, dpo and grpo stages: its section, with the run's paths filled in, written as the
 * config its command takes and run as that command runs it, resuming from whatever an earlier,
 * interrupted run of the stage saved.
 */
final class TrainingStage {
  private final PipelineStage stage;
  private final PipelineConfig config;
  private final Path run;
  private final PrintStream progress;

  TrainingStage(PipelineStage stage, PipelineConfig config, Path run, PrintStream progress) {
    this.stage = stage;
    this.config = config;
    this.run = run;
    this.progress = progress;
  }

  void run(SparkSession spark) {
    Path file = StageConfigs.write(stage, StageConfigs.effective(stage, config.training().get(stage), run, config), run, config.source());
    progress.printf("%s: config %s%n", stage.configName(), file);
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    if (stage == PipelineStage.GRPO) {
      RlConfig loaded = RlConfig.load(file);
      new RlRun(loaded, Algorithm.GRPO, true, 0, conf, new SimpleMeterRegistry(), progress).run(spark);
    } else {
      TrainConfig loaded = TrainConfig.load(file, stage.configName());
      new TrainRun(loaded, true, conf, new SimpleMeterRegistry(), progress::println).run(stage.configName(), spark);
    }
  }

  /** The model a finished training stage left: SFT's and DPO's final checkpoint, GRPO's last policy. */
  static Optional<Path> model(PipelineStage stage, PipelineConfig config, Path run) {
    if (stage == PipelineStage.GRPO) {
      return new Checkpoints(StageConfigs.output(stage, config, run).resolve(RlRun.POLICIES), "iteration").latest().map(Checkpoints.Saved::dir);
    }
    Path model = StageConfigs.finalModel(stage, config, run);
    return java.nio.file.Files.isDirectory(model) ? Optional.of(model) : Optional.empty();
  }
}
