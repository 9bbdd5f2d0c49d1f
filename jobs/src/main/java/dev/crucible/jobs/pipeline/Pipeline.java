package dev.crucible.jobs.pipeline;

import com.github.dockerjava.api.DockerClient;
import dev.crucible.data.HintLevel;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.RunLayout;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.InputFiles;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.inspect.Inspector;
import dev.crucible.jobs.rollout.RolloutRun;
import dev.crucible.jobs.rollout.RolloutSettings;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.images.ImageBuilder;
import dev.crucible.rollout.images.ImageRecipe;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerClients;
import dev.crucible.rollout.tasks.GeneratedTask;
import dev.crucible.rollout.tasks.GeneratedTasks;
import dev.crucible.rollout.tasks.LocalTrialRunner;
import dev.crucible.rollout.tasks.TaskGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the whole loop as stages ({@link PipelineStage}), in order, each only when configured:
 *
 * <ol>
 *   <li>{@code tasks}: read and validate the task file, or generate tasks from repositories with the
 *       task factory into {@code RUN/tasks/} (held-out tasks as {@code RUN/tasks/held-out.parquet});
 *   <li>{@code rollout}: real episodes of the configured policy (the scripted expert by default) into
 *       {@code RUN/trajectories}; or, without a rollout section, a synthetic sample run;
 *   <li>{@code sft}, {@code dpo}, {@code grpo}: each section run as its own command runs its config
 *       ({@link StageConfigs}), each starting from the model the stage before left;
 *   <li>{@code held_out}: the rollout's policy and every stage's model on the held-out tasks, into
 *       {@code RUN/held-out/<stage>/};
 *   <li>{@code modes}: with grpo in {@code auto} mode, its meta-controller against the oracle on the held-out
 *       tasks ({@link ModesStage});
 *   <li>{@code report}: {@code RUN/report.html}.
 * </ol>
 *
 * A rerun of the same config resumes: finished stages are skipped ({@link StageLedger}), and a stage
 * that was cut short carries on where its own resumption allows (training from its last checkpoint, RL
 * from its last iteration, rollouts keeping the episodes written). Ends with the time each stage took.
 */
public final class Pipeline {
  private final PipelineConfig config;
  private final PrintStream progress;

  public Pipeline(PipelineConfig config, PrintStream progress) {
    this.config = config;
    this.progress = progress;
  }

  /** Runs every configured stage not yet finished; returns the inspect summary and the time per stage. */
  public String run() {
    Configuration conf = new Configuration();
    if (config.generate() != null) {
      config.generate().repositories()
          .forEach(repository -> InputFiles.require(java.nio.file.Path.of(repository), InputFiles.Kind.DIRECTORY));
    }
    List<TaskInstance> fileTasks = config.tasks() == null ? null : readTasks(conf); // Checked before the run directory changes.
    Path runDirectory = prepareRunDirectory(conf);
    RunLayout run = new RunLayout(runDirectory);
    StageLedger ledger = new StageLedger(runDirectory, conf);
    ledger.requireConfig(config.settings(), config.source());
    StageTimes times = new StageTimes(ledger, progress);
    times.run(PipelineStage.TASKS, () -> {
      List<TaskInstance> tasks = fileTasks == null ? generateTasks(runDirectory, conf) : fileTasks;
      SweBenchTasks.write(run.tasks(), conf, tasks);
    });

    SparkSession spark =
        SparkSessions.create("crucible-pipeline-" + config.runId(), config.sparkMaster(), config.sparkConf());
    try {
      times.run(PipelineStage.ROLLOUT, () -> {
        if (config.rollout() != null) {
          rollout(spark, runDirectory);
        } else {
          new SampleRunStage(spark, progress).run(runDirectory, SweBenchTasks.read(run.tasks(), conf),
              config.sampleRun());
        }
      });
      for (PipelineStage stage : PipelineConfig.TRAINING) {
        if (config.training().containsKey(stage)) {
          times.run(stage, () -> new TrainingStage(stage, config, local(runDirectory, stage), progress).run(spark));
        }
      }
      if (config.heldOut() != null) {
        times.run(PipelineStage.HELD_OUT, () -> new HeldOutStage(config, local(runDirectory, PipelineStage.HELD_OUT), progress).run(spark));
      }
      if (config.training().containsKey(PipelineStage.GRPO) && ModesStage.applies(config, local(runDirectory, PipelineStage.MODES))) {
        times.run(PipelineStage.MODES, () -> new ModesStage(config, local(runDirectory, PipelineStage.MODES), progress).run(spark));
      }
    } finally {
      spark.stop();
    }
    times.run(PipelineStage.REPORT, () -> {
      if (!"file".equals(runDirectory.toUri().getScheme())) {
        progress.printf("report: none; crucible report reads run directories on the local file system, not %s%n", runDirectory);
        return;
      }
      java.nio.file.Path page = HadoopFiles.localFile(run.report());
      try {
        java.nio.file.Files.writeString(page, new dev.crucible.jobs.report.RunReport(page.getParent(), conf, config.pricePerHour()).html());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + page, e);
      }
      progress.printf("report: %s%n", page);
    });
    return new Inspector(conf).inspect(runDirectory) + times.table();
  }

  /** The run directory as a local path, which the training, held-out and report stages need (they read and write java.nio files). */
  private static java.nio.file.Path local(Path runDirectory, PipelineStage stage) {
    if (!"file".equals(runDirectory.toUri().getScheme())) {
      throw new IllegalArgumentException("the " + stage.configName() + " stage needs the run directory on the local file system, not "
          + runDirectory + "; set runs_dir to a local folder");
    }
    return java.nio.file.Path.of(runDirectory.toUri());
  }

  private List<TaskInstance> readTasks(Configuration conf) {
    List<TaskInstance> tasks = SweBenchTasks.read(new Path(config.tasks()), conf);
    if (tasks.isEmpty()) {
      throw new InvalidInputException(new InputProblem(config.tasks(), 0, null, "holds no tasks"));
    }
    progress.printf("tasks: %d tasks from %s%n", tasks.size(), config.tasks());
    return tasks;
  }

  /**
   * The task factory on each repository; tasks and their repositories' bundles go to {@code RUN/tasks/}, and
   * the held-out tasks of every repository to {@code RUN/tasks/held-out.parquet}. The factory works in a local
   * folder: the run's own when it is local, else a scratch folder whose files are then copied to the run.
   */
  private List<TaskInstance> generateTasks(Path runDirectory, Configuration conf) {
    RunLayout run = new RunLayout(runDirectory);
    Path tasksFolder = run.tasksFolder();
    FileSystem fs = HadoopFiles.fileSystem(tasksFolder, conf);
    try {
      fs.delete(tasksFolder, true); // What a stage cut short left.
      if (HadoopFiles.isLocal(tasksFolder)) {
        return generateTasks(HadoopFiles.localFile(tasksFolder), run, conf);
      }
      java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("crucible-tasks-");
      try {
        List<TaskInstance> tasks = generateTasks(scratch, run, conf);
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(scratch)) {
          for (java.nio.file.Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
            // Git directories serve only local runs; the bundles travel.
            if (!scratch.relativize(file).startsWith("repos") || file.getFileName().toString().endsWith(TaskRepositories.BUNDLE_SUFFIX)) {
              fs.copyFromLocalFile(HadoopFiles.local(file), new Path(tasksFolder, scratch.relativize(file).toString()));
            }
          }
        }
        return tasks;
      } finally {
        FileSystem.getLocal(conf).delete(HadoopFiles.local(scratch), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate tasks into " + tasksFolder, e);
    }
  }

  private List<TaskInstance> generateTasks(java.nio.file.Path tasksDirectory, RunLayout run, Configuration conf) {
    PipelineConfig.Generate settings = config.generate();
    ensureImage();
    SandboxFactory sandboxes = SandboxFactory.of(config.sandbox());
    TaskGenerator.Options options = new TaskGenerator.Options(
        settings.tasksPerRepository(), settings.seed(), SandboxSpec.DEFAULT_IMAGE, Duration.ofMinutes(2), settings.hints());
    List<TaskInstance> tasks = new ArrayList<>();
    List<TaskInstance> heldOut = new ArrayList<>();
    try (LocalTrialRunner trials = new LocalTrialRunner(sandboxes, 2)) {
      TaskGenerator generator = new TaskGenerator(sandboxes, trials, options, progress);
      for (String repository : settings.repositories()) {
        List<GeneratedTask> generated = generator.generate(java.nio.file.Path.of(repository), tasksDirectory);
        String name = java.nio.file.Path.of(repository).toAbsolutePath().normalize().getFileName().toString();
        GeneratedTasks.Split split = GeneratedTasks.split(generated, settings.heldOut());
        GeneratedTasks.write(new Path(tasksDirectory.resolve(name + ".jsonl").toString()), new Configuration(), split.train());
        split.train().forEach(task -> tasks.add(task.task()));
        if (settings.heldOut() > 0) {
          GeneratedTasks.write(new Path(tasksDirectory.resolve(name + ".held-out.jsonl").toString()), new Configuration(), split.heldOut());
          split.heldOut().forEach(task -> heldOut.add(task.task()));
        }
        progress.printf("tasks: %d tasks generated from %s (hint %s), %d held out%n", generated.size(), repository,
            settings.hints().stream().map(HintLevel::tableName).collect(java.util.stream.Collectors.joining(", ")), split.heldOut().size());
      }
    }
    if (settings.heldOut() > 0) {
      SweBenchTasks.write(run.heldOutTasks(), conf, heldOut);
    }
    return tasks;
  }

  /** Real episodes on the stored tasks, as {@code crucible rollout} runs them. */
  private void rollout(SparkSession spark, Path runDirectory) {
    PipelineConfig.Rollout settings = config.rollout();
    RunLayout run = new RunLayout(runDirectory);
    Path repositories = config.generate() != null ? run.repositories() : new Path(HadoopFiles.userPath(config.tasks()).getParent(), "repos");
    ensureImage();
    new RolloutRun(
            new RolloutSettings(
                runDirectory.toString(), 0, settings.policy(), settings.scaffold(), settings.mode(), Modes.DEFAULT, settings.samples(),
                settings.maxWorkers(), config.sandbox(), settings.seed(), 3, settings.episodeTimeout(), -1, true, RewardWeights.defaults(), 0),
            progress)
        .run(spark, run.tasks(), repositories);
  }

  /** Docker sandboxes need the image: build it (offline) when it is missing, so the default runs anywhere. */
  private void ensureImage() {
    if (config.sandbox().backend() == SandboxFactory.Backend.DOCKER) {
      DockerClient client = DockerClients.fromEnvironment();
      DockerClients.requireDaemon(client);
      new ImageBuilder(client, progress).ensure(ImageRecipe.python(), false, ImageBuilder.Method.DEBOOTSTRAP, null);
    }
  }

  /** The run directory: replaced with {@code overwrite}, else kept to resume. */
  private Path prepareRunDirectory(Configuration conf) {
    Path runDirectory = new Path(config.runDirectory());
    FileSystem fs = HadoopFiles.fileSystem(runDirectory, conf);
    try {
      runDirectory = fs.makeQualified(runDirectory);
      if (fs.exists(runDirectory)) {
        if (config.overwrite()) {
          progress.printf("replacing existing run %s%n", runDirectory);
          fs.delete(runDirectory, true);
        } else if (!fs.exists(new Path(runDirectory, StageLedger.SETTINGS))) {
          throw new IllegalArgumentException("run directory " + runDirectory + " exists but holds no pipeline ledger ("
              + StageLedger.SETTINGS + ") to resume from; set overwrite: true or choose another run_id");
        } else {
          progress.printf("resuming run %s (overwrite: true starts it again)%n", runDirectory);
        }
      }
      fs.mkdirs(runDirectory);
      return runDirectory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare run directory " + runDirectory, e);
    }
  }
}
