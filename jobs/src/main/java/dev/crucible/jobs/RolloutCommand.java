package dev.crucible.jobs;

import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.InputFiles;
import dev.crucible.jobs.config.ModesSection;
import dev.crucible.jobs.inspect.Inspector;
import dev.crucible.jobs.rollout.RolloutRun;
import dev.crucible.jobs.rollout.RolloutSettings;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.agent.Modes;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible rollout}. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = {
      "Runs tasks × samples agent episodes as one Spark job: each in a sandbox at the task's base commit,",
      "the agent until it submits or its budget ends, the final patch graded in a fresh sandbox, one",
      "trajectory row in OUT/trajectories/iteration=I/. Prints the run's summary."
    })
final class RolloutCommand implements Runnable {
  @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Tasks (.jsonl or .parquet), local or any Hadoop URI (hdfs://, s3a://).")
  String tasks;

  @Option(names = "--policy", required = true, description = "scripted (an expert that knows the gold patch), openai:<base-url>[#model] or djl:<checkpoint>.")
  String policy;

  @Option(names = "--scaffold", defaultValue = "single", description = "single (default: ${DEFAULT-VALUE}).")
  String scaffold;

  @Option(names = "--mode", defaultValue = "standard",
      description = "fast (10 steps), standard (30), deep (100), or a mode of --modes (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--modes", paramLabel = "FILE",
      description = "A YAML file whose modes section changes or adds modes (budget, guidance, tools), as in the RL config.")
  Path modesFile;

  @Option(names = "--samples", defaultValue = "1", description = "Episodes per task (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--out", required = true, paramLabel = "runs/ID", description = "The run directory, local or any Hadoop URI; its name is the run id.")
  String out;

  @Option(names = "--iteration", defaultValue = "0", description = "RL iteration (default: ${DEFAULT-VALUE}).")
  int iteration;

  @Option(names = "--max-workers", defaultValue = "2", description = "Episodes at once per executor (default: ${DEFAULT-VALUE}).")
  int maxWorkers;

  @Option(names = "--repos", paramLabel = "DIR", description = "Folder of the tasks' repositories: owner__name.bundle git bundles on any Hadoop file system, or owner__name git directories locally (default: TASKS_DIR/repos).")
  String repos;

  @CommandLine.Mixin SandboxOptions sandbox;

  @Option(names = "--seed", defaultValue = "0", description = "Varies seeded policies (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--max-attempts", defaultValue = "3", description = "Sandboxes tried per episode on infrastructure failures (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--episode-timeout", defaultValue = "1800", paramLabel = "SECONDS", description = "Wall-clock budget of one episode before grading; past it the episode is an agent_error (default: ${DEFAULT-VALUE}).")
  int episodeTimeoutSeconds;

  @Option(names = "--progress-gradings", defaultValue = "0", paramLabel = "N",
      description = "Edit boundaries graded per episode for MRT's progress rewards, beside the agent (default: ${DEFAULT-VALUE}, none).")
  int progressGradings;

  @Option(names = "--metrics-port", defaultValue = "0", description = "Port of the live metrics endpoint; 0 for any free port, -1 for none (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @CommandLine.Mixin EmbeddingsOption embeddings;

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[MAX_WORKERS]).")
  String master;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    if (samples < 1 || maxWorkers < 1 || iteration < 0 || maxAttempts < 1 || episodeTimeoutSeconds < 1 || progressGradings < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--samples, --max-workers, --max-attempts and --episode-timeout must be at least 1, --iteration and --progress-gradings at least 0");
    }
    org.apache.hadoop.fs.Path tasksFile = HadoopFiles.userPath(tasks);
    InputFiles.require(tasksFile, new Configuration(), InputFiles.Kind.FILE_OR_DIRECTORY); // Before Spark starts.
    org.apache.hadoop.fs.Path repositories = repos != null ? HadoopFiles.userPath(repos) : new org.apache.hadoop.fs.Path(tasksFile.getParent(), "repos");
    String runDirectory = HadoopFiles.userPath(out).toString();
    Modes modes = modesFile == null ? Modes.DEFAULT : ModesSection.load(modesFile);
    try {
      modes.named(mode);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--mode: " + e.getMessage());
    }
    RolloutSettings settings =
        new RolloutSettings(runDirectory, iteration, policy, scaffold, mode, modes, samples, maxWorkers, sandbox.choice(), seed, maxAttempts,
            java.time.Duration.ofSeconds(episodeTimeoutSeconds), metricsPort, true, RewardWeights.defaults(), progressGradings,
            embeddings.endpoint);
    String chosenMaster = master != null ? master : System.getProperty("spark.master") == null ? "local[" + maxWorkers + "]" : null;
    SparkSession spark = SparkSessions.create("crucible-rollout", chosenMaster, Map.of());
    try {
      new RolloutRun(settings, System.err).run(spark, tasksFile, repositories);
      spec.commandLine().getOut().print(new Inspector(new Configuration()).inspect(new org.apache.hadoop.fs.Path(runDirectory)));
      spec.commandLine().getOut().flush();
    } finally {
      spark.stop();
    }
  }
}
