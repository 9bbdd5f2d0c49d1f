package dev.crucible.jobs.pipeline;

import dev.crucible.data.io.HadoopFiles;
import dev.crucible.jobs.meta.AutoModes;
import dev.crucible.jobs.meta.ModeEvaluation;
import dev.crucible.jobs.train.RlConfig;
import dev.crucible.jobs.train.RlRun;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.agent.PolicyFactory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * MRT's meta-controller as the grpo stage left it, against the oracle on the held-out tasks, as {@code crucible eval
 * modes --meta} measures it: every held-out task in every mode of the grpo section by the stage's last policy
 * ({@code RUN/modes/oracle/<mode>/}), then the solve rate, tokens and regret of each fixed mode and of the
 * controller's choices ({@code RUN/modes/modes-report.json}, a section of the report). Runs when the grpo stage
 * chose its modes by the controller ({@code rollout.mode: auto}); episodes of a cut-short run are kept.
 */
final class ModesStage {
  /** The folder under the run directory. */
  static final String FOLDER = PipelineStage.MODES.configName();

  private final PipelineConfig config;
  private final Path run;
  private final PrintStream progress;

  ModesStage(PipelineConfig config, Path run, PrintStream progress) {
    this.config = config;
    this.run = run;
    this.progress = progress;
  }

  /** Whether the grpo stage ran with a meta-controller to evaluate, and there are held-out tasks for it. */
  static boolean applies(PipelineConfig config, Path run) {
    Path grpo = StageConfigs.file(PipelineStage.GRPO, run);
    return config.heldOut() != null && Files.isRegularFile(grpo) && RlConfig.load(grpo).rollout().mode().equals(Modes.AUTO);
  }

  void run(SparkSession spark) {
    RlConfig grpo = RlConfig.load(StageConfigs.file(PipelineStage.GRPO, run));
    Path policy = TrainingStage.model(PipelineStage.GRPO, config, run)
        .orElseThrow(() -> new IllegalStateException("grpo left no policy in " + grpo.output()));
    // The controller after the last iteration's update, which would choose the next one's modes.
    Path controller = AutoModes.directory(grpo.output(), grpo.rl().iterations());
    if (!Files.isDirectory(controller)) {
      throw new IllegalStateException("grpo left no meta-controller in " + controller);
    }
    PipelineConfig.HeldOut heldOut = config.heldOut();
    progress.printf("modes: the meta-controller %s and policy %s against the oracle on the held-out tasks%n", controller, policy);
    ModeEvaluation.Settings settings = new ModeEvaluation.Settings(run.resolve(FOLDER), HadoopFiles.localFile(HeldOutStage.tasks(config, run)),
        HadoopFiles.localFile(HeldOutStage.repositories(config, run)), PolicyFactory.inProcess(policy.toString(), heldOut.temperature()), config.rollout().scaffold(),
        grpo.modes(), heldOut.samples(), heldOut.maxWorkers(), config.sandbox(), 0, heldOut.episodeTimeout(), grpo.meta().lambda(), 0,
        controller, grpo.meta().settings(), RlRun.embeddingModel(grpo));
    progress.print(ModeEvaluation.table(new ModeEvaluation(settings, progress).run(spark)));
  }
}
