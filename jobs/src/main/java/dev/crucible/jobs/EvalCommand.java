package dev.crucible.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.io.InputFiles;
import dev.crucible.jobs.config.ModesSection;
import dev.crucible.jobs.meta.ModeEvaluation;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.trainer.meta.MetaController;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible eval modes}. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluations beyond one rollout: modes (every task in every mode against the oracle, MRT's regret).",
    subcommands = {EvalCommand.ModesEval.class})
final class EvalCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: modes");
  }

  @Command(
      name = "modes",
      mixinStandardHelpOptions = true,
      description = {
        "Runs every task in every mode (OUT/oracle/MODE), takes per task the mode of the best mean",
        "reward - lambda * tokens (the oracle), and reports for each fixed mode and the meta-controller the",
        "solve rate, mean tokens, wall time and regret against the oracle: a table, then one JSON line",
        "(also OUT/modes-report.json). The meta-controller is --meta DIR, or one trained here for",
        "--meta-iterations rounds on the oracle's episodes (OUT/meta, decisions in OUT/mode_decisions)."
      })
  static final class ModesEval implements Runnable {
    @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Tasks (.jsonl or .parquet).")
    Path tasks;

    @Option(names = "--policy", required = true, description = "As crucible rollout takes it: scripted, djl:<checkpoint>[#temperature], openai:<url>[#model].")
    String policy;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the rollouts, the controller and the report go.")
    Path out;

    @Option(names = "--modes", paramLabel = "FILE", description = "A YAML file whose modes section defines the modes (default: fast, standard, deep).")
    Path modesFile;

    @Option(names = "--scaffold", defaultValue = "single", description = "single or phased (default: ${DEFAULT-VALUE}).")
    String scaffold;

    @Option(names = "--samples", defaultValue = "1", description = "Episodes per task and mode (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--lambda", defaultValue = "0.001", description = "The price of a token in each episode's return, reward - lambda * tokens (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--meta", paramLabel = "DIR", description = "A saved meta-controller to evaluate (as OUT/meta of an earlier run, or an RL run's meta/iteration-N).")
    Path meta;

    @Option(names = "--meta-iterations", defaultValue = "0", paramLabel = "N",
        description = "Train a fresh meta-controller for N bandit rounds on the oracle's episodes (default: ${DEFAULT-VALUE}).")
    int metaIterations;

    @Option(names = "--meta-hidden", defaultValue = "16", description = "The controller's hidden units (default: ${DEFAULT-VALUE}).")
    int metaHidden;

    @Option(names = "--meta-learning-rate", defaultValue = "0.03", description = "The controller's AdamW rate (default: ${DEFAULT-VALUE}).")
    double metaLearningRate;

    @Option(names = "--meta-entropy", defaultValue = "0.03", description = "The controller's entropy bonus (default: ${DEFAULT-VALUE}).")
    double metaEntropy;

    @Option(names = "--embedding", paramLabel = "CHECKPOINT",
        description = "A model whose hidden states embed each problem statement as features (default: none).")
    Path embedding;

    @Option(names = "--max-workers", defaultValue = "2", description = "Episodes at once per executor (default: ${DEFAULT-VALUE}).")
    int maxWorkers;

    @Option(names = "--repos", paramLabel = "DIR", description = "Folder of the tasks' git repositories (default: TASKS_DIR/repos).")
    Path repos;

    @CommandLine.Mixin SandboxOptions sandbox;

    @Option(names = "--seed", defaultValue = "0", description = "Varies seeded policies and the controller's draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--episode-timeout", defaultValue = "1800", paramLabel = "SECONDS", description = "Wall-clock budget of one episode (default: ${DEFAULT-VALUE}).")
    int episodeTimeoutSeconds;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[MAX_WORKERS]).")
    String master;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (samples < 1 || maxWorkers < 1 || metaIterations < 0 || episodeTimeoutSeconds < 1 || lambda < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--samples, --max-workers and --episode-timeout must be at least 1, --meta-iterations and --lambda at least 0");
      }
      if (meta != null && metaIterations > 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give --meta (evaluate a saved controller) or --meta-iterations (train one), not both");
      }
      InputFiles.require(tasks, InputFiles.Kind.FILE_OR_DIRECTORY);
      Modes modes = modesFile == null ? Modes.DEFAULT : ModesSection.load(modesFile);
      MetaController.Settings metaSettings;
      try {
        metaSettings = new MetaController.Settings(metaHidden, metaLearningRate, 1, metaEntropy, 0.5, seed);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      Path repositories = repos != null ? repos : tasks.toAbsolutePath().getParent().resolve("repos");
      ModeEvaluation.Settings settings = new ModeEvaluation.Settings(out.toAbsolutePath(), tasks, repositories, policy, scaffold, modes, samples,
          maxWorkers, sandbox.choice(), seed, Duration.ofSeconds(episodeTimeoutSeconds), lambda, metaIterations, meta, metaSettings, embedding);
      String chosenMaster = master != null ? master : System.getProperty("spark.master") == null ? "local[" + maxWorkers + "]" : null;
      SparkSession spark = SparkSessions.create("crucible-eval-modes", chosenMaster, Map.of());
      try {
        ModeEvaluation.Report report = new ModeEvaluation(settings, System.err).run(spark);
        spec.commandLine().getOut().print(ModeEvaluation.table(report));
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(report.json()));
        spec.commandLine().getOut().flush();
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      } finally {
        spark.stop();
      }
    }
  }
}
