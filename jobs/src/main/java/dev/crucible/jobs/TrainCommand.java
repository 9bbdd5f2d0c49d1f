package dev.crucible.jobs;

import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.jobs.train.RlConfig;
import dev.crucible.jobs.train.RlRun;
import dev.crucible.jobs.train.TrainConfig;
import dev.crucible.jobs.train.TrainRun;
import dev.crucible.trainer.rl.Algorithm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible train sft|dpo}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains the policy model: on trajectory tables (sft, dpo), or from reward in on-policy iterations (grpo, rloo).",
    subcommands = {TrainCommand.Sft.class, TrainCommand.Dpo.class, TrainCommand.Grpo.class, TrainCommand.Rloo.class})
final class TrainCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: sft, dpo, grpo or rloo");
  }

  /** The options both stages take. */
  abstract static class Stage implements Runnable {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The training config (YAML); see examples/train-sft.yaml.")
    Path config;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in the output directory.")
    boolean resume;

    @Option(names = "--master", description = "Spark master that reads the tables (default: spark-submit's, else local[*]).")
    String master;

    @Spec CommandSpec spec;

    abstract String stage();

    @Override
    public void run() {
      TrainConfig loaded = TrainConfig.load(config, stage());
      SparkSession spark = SparkSessions.create("crucible-train-" + stage(), master, Map.of());
      try {
        TrainRun.Summary summary = new TrainRun(loaded, resume, spark.sparkContext().hadoopConfiguration(), new SimpleMeterRegistry(),
            spec.commandLine().getErr()::println).run(stage(), spark);
        spec.commandLine().getOut().println(summary.describe());
      } finally {
        spark.stop();
      }
    }
  }

  @Command(name = "sft", mixinStandardHelpOptions = true,
      description = "Supervised fine-tuning on the assistant turns of (by default resolved) episodes; writes OUT/checkpoints, OUT/metrics and OUT/final.")
  static final class Sft extends Stage {
    @Override
    String stage() {
      return "sft";
    }
  }

  @Command(name = "dpo", mixinStandardHelpOptions = true,
      description = "Direct preference optimization on pairs of episodes of one task whose rewards differ; writes OUT/preference_pairs too.")
  static final class Dpo extends Stage {
    @Override
    String stage() {
      return "dpo";
    }
  }

  /** The RL algorithms: iterations of rollouts on Spark and updates on the driver. */
  abstract static class Reinforce implements Runnable {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The RL config (YAML); see examples/grpo-local.yaml.")
    Path config;

    @Option(names = "--resume", description = "Continue from the latest policy in the output directory.")
    boolean resume;

    @Option(names = "--master", description = "Spark master of the rollouts (default: spark-submit's, else local[*]).")
    String master;

    @Spec CommandSpec spec;

    abstract Algorithm algorithm();

    @Override
    public void run() {
      RlConfig loaded = RlConfig.load(config);
      SparkSession spark = SparkSessions.create("crucible-train-" + algorithm().configName(), master, Map.of());
      try {
        RlRun.Summary summary = new RlRun(loaded, algorithm(), resume, spark.sparkContext().hadoopConfiguration(), new SimpleMeterRegistry(),
            System.err).run(spark);
        summary.iterations().forEach(iteration -> spec.commandLine().getOut().println(algorithm().configName() + " " + iteration.describe()));
        spec.commandLine().getOut().println(algorithm().configName() + ": " + summary.iterations().size() + " iterations run; last policy "
            + summary.lastPolicy());
      } finally {
        spark.stop();
      }
    }
  }

  @Command(name = "grpo", mixinStandardHelpOptions = true,
      description = "GRPO (or Dr.GRPO with rl.normalize_std: false): group-relative advantages; writes OUT/policies, OUT/rollouts and OUT/metrics.")
  static final class Grpo extends Reinforce {
    @Override
    Algorithm algorithm() {
      return Algorithm.GRPO;
    }
  }

  @Command(name = "rloo", mixinStandardHelpOptions = true,
      description = "RLOO: leave-one-out baselines within each group; writes OUT/policies, OUT/rollouts and OUT/metrics.")
  static final class Rloo extends Reinforce {
    @Override
    Algorithm algorithm() {
      return Algorithm.RLOO;
    }
  }
}
