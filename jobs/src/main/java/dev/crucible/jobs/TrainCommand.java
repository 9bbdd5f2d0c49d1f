package dev.crucible.jobs;

import dev.crucible.data.io.MirroredDirectory;
import dev.crucible.jobs.rollout.MetricsServer;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.jobs.train.OutputPublisher;
import dev.crucible.jobs.train.RlConfig;
import dev.crucible.jobs.train.RlRun;
import dev.crucible.jobs.train.TrainConfig;
import dev.crucible.jobs.train.TrainRun;
import dev.crucible.trainer.rl.Algorithm;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible train sft|dpo|grpo|rloo|ppo}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains the policy model: on trajectory tables (sft, dpo), or from reward in on-policy iterations (grpo, rloo, ppo).",
    subcommands = {TrainCommand.Sft.class, TrainCommand.Dpo.class, TrainCommand.Grpo.class, TrainCommand.Rloo.class, TrainCommand.Ppo.class})
final class TrainCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: sft, dpo, grpo, rloo or ppo");
  }

  /** The options every training command takes, and its Spark session. */
  abstract static class Training implements Runnable {
    /** How often a shared output directory receives what the training wrote since. */
    private static final Duration PUBLISH_EVERY = Duration.ofSeconds(30);

    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "The training config (YAML); see examples/train-sft.yaml, examples/train-dpo.yaml and examples/grpo-local.yaml.")
    Path config;

    @Option(names = "--resume", description = "Continue from the latest checkpoint (or policy) in the output directory.")
    boolean resume;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "PORT",
        description = "Serve the training gauges (crucible.train.*, crucible.rl.*) for Prometheus at http://127.0.0.1:PORT/metrics; 0 for any free port (default: none).")
    int metricsPort;

    /** The run's gauges, scraped by {@link #run} when {@code --metrics-port} is given. */
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Spec CommandSpec spec;

    /** The subcommand's name: sft, dpo, grpo, rloo or ppo. */
    abstract String stage();

    /**
     * Reads and checks the config, before Spark starts; returns the training, which gives the summary
     * printed on standard output.
     */
    abstract Function<SparkSession, String> prepare();

    /** The shared directory the output's mirror publishes to, or {@code null} for a local output; set by {@link #prepare}. */
    MirroredDirectory sharedOutput;

    @Override
    public void run() {
      Function<SparkSession, String> training = prepare();
      MetricsServer server = metricsPort < 0 ? null : new MetricsServer(metricsPort, registry::scrape);
      if (server != null) {
        spec.commandLine().getErr().printf("%s: live metrics at http://127.0.0.1:%d/metrics%n", stage(), server.port());
      }
      SparkSession spark = SparkSessions.create("crucible-train-" + stage(), master, Map.of());
      try {
        if (sharedOutput == null) {
          spec.commandLine().getOut().println(training.apply(spark));
        } else {
          try (OutputPublisher publisher = OutputPublisher.start(sharedOutput, spark.sparkContext().hadoopConfiguration(), PUBLISH_EVERY,
              spec.commandLine().getErr()::println)) {
            spec.commandLine().getOut().println(training.apply(spark));
          }
        }
      } finally {
        spark.stop();
        if (server != null) {
          server.close();
        }
      }
    }
  }

  /** SFT and DPO: the model trains on the driver on tables Spark reads and tokenizes. */
  abstract static class Stage extends Training {
    @Override
    Function<SparkSession, String> prepare() {
      TrainConfig loaded = TrainConfig.load(config, stage());
      sharedOutput = loaded.sharedOutput();
      return spark -> new TrainRun(loaded, resume, spark.sparkContext().hadoopConfiguration(), registry,
          spec.commandLine().getErr()::println).run(stage(), spark).describe();
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
  abstract static class Reinforce extends Training {
    @Option(names = "--dump-batches", defaultValue = "0", paramLabel = "N",
        description = "Write the first N optimizer steps' per-token loss inputs to OUT/batches (Parquet), to recompute the loss from its parts (default: ${DEFAULT-VALUE}).")
    int dumpBatches;

    abstract Algorithm algorithm();

    @Override
    String stage() {
      return algorithm().configName();
    }

    @Override
    Function<SparkSession, String> prepare() {
      if (dumpBatches < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--dump-batches must be at least 0, got " + dumpBatches);
      }
      RlConfig loaded = RlConfig.load(config);
      sharedOutput = loaded.sharedOutput();
      RlRun.requireCompatible(loaded, algorithm());
      return spark -> {
        RlRun.Summary summary = new RlRun(loaded, algorithm(), resume, dumpBatches, spark.sparkContext().hadoopConfiguration(),
            registry, System.err).run(spark);
        StringBuilder text = new StringBuilder();
        summary.iterations().forEach(iteration -> text.append(stage()).append(' ').append(iteration.describe()).append('\n'));
        if (summary.lastHeldOut() != null) {
          text.append(String.format("%s policy %s held out: %s%n", stage(), summary.lastPolicy().getFileName(), summary.lastHeldOut().describe()));
        }
        return text.append(stage()).append(": ").append(summary.iterations().size()).append(" iterations run; last policy ")
            .append(summary.lastPolicy()).toString();
      };
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

  @Command(name = "ppo", mixinStandardHelpOptions = true,
      description = "PPO: a value head on the policy's trunk, per-token advantages by GAE (rl.gamma, rl.lambda), the clipped value loss;"
          + " writes OUT/policies (with value_head.safetensors), OUT/rollouts and OUT/metrics.")
  static final class Ppo extends Reinforce {
    @Override
    Algorithm algorithm() {
      return Algorithm.PPO;
    }
  }
}
