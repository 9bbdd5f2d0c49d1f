package dev.crucible.jobs;

import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.jobs.train.TrainConfig;
import dev.crucible.jobs.train.TrainRun;
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
    description = "Trains the policy model on trajectory tables (DJL on the driver; Spark reads and tokenizes the tables).",
    subcommands = {TrainCommand.Sft.class, TrainCommand.Dpo.class})
final class TrainCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: sft or dpo");
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
}
