package dev.crucible.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.bench.GenerateBenchmark;
import dev.crucible.jobs.bench.LocalizeBenchmark;
import dev.crucible.jobs.bench.MemoryBenchmark;
import dev.crucible.jobs.bench.ParquetBenchmark;
import dev.crucible.jobs.bench.TrainBenchmark;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.search.OpenAiEmbeddings;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible bench …}: benchmarks that print one JSON line of figures each. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one JSON line of figures with a baseline measured in the same run.",
    subcommands = {BenchCommand.Parquet.class, BenchCommand.Sandbox.class, BenchCommand.Evaluate.class, BenchCommand.Rollout.class, BenchCommand.Train.class, BenchCommand.Memory.class,
        BenchCommand.Generate.class, BenchCommand.Localize.class})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark name");
  }

  /** {@code crucible bench parquet}. */
  @Command(
      name = "parquet",
      mixinStandardHelpOptions = true,
      description = {
        "Writes realistic trajectories through the trajectory store and through a bare parquet-avro",
        "writer (the baseline), reads them back, and prints rows, write_mb_s, baseline_write_mb_s,",
        "ratio and read_rows_s. The store's files stay in --out."
      })
  static final class Parquet implements Runnable {
    @Option(names = "--rows", defaultValue = "2000", description = "Trajectories to write (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--turns", defaultValue = "30", description = "Turns per trajectory (default: ${DEFAULT-VALUE}).")
    int turns;

    @Option(
        names = "--observation-bytes",
        defaultValue = "3000",
        description = "Size of each tool observation in bytes (default: ${DEFAULT-VALUE}).")
    int observationBytes;

    @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds of each writer; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--out", defaultValue = "runs/bench-parquet", description = "Directory the store's files are left in (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      requirePositive(rows, "--rows");
      requirePositive(rounds, "--rounds");
      if (turns < 2) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--turns must be at least 2, got " + turns);
      }
      if (observationBytes < 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--observation-bytes must be >= 0, got " + observationBytes);
      }
      ParquetBenchmark.Result result =
          new ParquetBenchmark(rows, turns, observationBytes, rounds, out, System.err).run();
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
    }

    private void requirePositive(int value, String option) {
      if (value < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
      }
    }
  }

  /** {@code crucible bench sandbox}. */
  @Command(
      name = "sandbox",
      mixinStandardHelpOptions = true,
      description = {
        "Creates, execs 'true' in, and closes N Docker sandboxes at concurrency C, and the same through the",
        "docker command line (docker run -d / exec / rm -f) as the baseline; prints p50 and p95 of each",
        "phase for both and the CLI-over-ours ratio of the p50s (above 1: we are faster)."
      })
  static final class Sandbox implements Runnable {
    @Option(names = "--n", defaultValue = "20", description = "Sandboxes of each kind (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--concurrency", defaultValue = "2", description = "Sandboxes alive at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--image", defaultValue = dev.crucible.rollout.sandbox.SandboxSpec.DEFAULT_IMAGE, description = "Image (default: ${DEFAULT-VALUE}).")
    String image;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (count < 1 || concurrency < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--n and --concurrency must be at least 1, got " + count + " and " + concurrency);
      }
      dev.crucible.jobs.bench.SandboxBenchmark.Result result =
          new dev.crucible.jobs.bench.SandboxBenchmark(
                  dev.crucible.rollout.sandbox.docker.DockerClients.fromEnvironment(), count, concurrency, image, System.err)
              .run();
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
    }
  }

  /** {@code crucible bench evaluate}. */
  @Command(
      name = "evaluate",
      mixinStandardHelpOptions = true,
      description = {
        "Runs crucible evaluate (Spark local mode, Docker sandboxes, coverage and lint off) on N gold",
        "patches of a small built-in task, and the bare work for the same instances through the docker",
        "command line at the same concurrency; prints instances per minute of both and the overhead."
      })
  static final class Evaluate implements Runnable {
    @Option(names = "--n", defaultValue = "20", description = "Instances (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--max-workers", defaultValue = "2", description = "Sandboxes at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--warm-pool", defaultValue = "0", description = "Containers kept started ahead (default: ${DEFAULT-VALUE}).")
    int warmPool;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (count < 1 || workers < 1 || warmPool < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--n and --max-workers must be at least 1, --warm-pool at least 0");
      }
      printFromSpark(spec, "evaluate", workers, (spark, work) ->
          new dev.crucible.jobs.bench.EvaluateBenchmark(count, workers, warmPool, work, System.err).run(spark));
    }
  }

  /** {@code crucible bench rollout}. */
  @Command(
      name = "rollout",
      mixinStandardHelpOptions = true,
      description = {
        "Runs crucible rollout (Spark local mode, Docker sandboxes, the scripted expert, coverage and lint",
        "off) for E episodes of a small built-in task, and the bare sandbox work of the same episodes (agent",
        "and grading sandboxes) through the docker command line at the same concurrency; prints episodes",
        "per minute of both and the overhead."
      })
  static final class Rollout implements Runnable {
    @Option(names = "--episodes", defaultValue = "20", description = "Episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--max-workers", defaultValue = "2", description = "Episodes at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--warm-pool", defaultValue = "0", description = "Containers kept started ahead (default: ${DEFAULT-VALUE}).")
    int warmPool;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (episodes < 1 || workers < 1 || warmPool < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--episodes and --max-workers must be at least 1, --warm-pool at least 0");
      }
      printFromSpark(spec, "rollout", workers, (spark, work) ->
          new dev.crucible.jobs.bench.RolloutBenchmark(episodes, workers, warmPool, work, System.err).run(spark));
    }
  }

  /** A benchmark run against a Spark session and a scratch folder; returns its JSON line. */
  @FunctionalInterface
  interface SparkBenchmark {
    String run(org.apache.spark.sql.SparkSession spark, java.nio.file.Path work) throws java.io.IOException;
  }

  /** Runs {@code benchmark} on a {@code local[workers]} session started before any timing, and prints its line. */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Trains a fixed random model on random tokens and measures, in the same run, a 2048x2048 float32 matmul",
        "on the same engine. Prints tokens_per_second, model_gflops (6N + 12 L d T per token), matmul_gflops and",
        "their ratio. Threads: -Dai.djl.pytorch.num_threads=N in CRUCIBLE_JAVA_OPTS."
      })
  static final class Train implements Runnable {
    @Option(names = "--hidden", defaultValue = "256", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "4", description = "Layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--sequence", defaultValue = "256", description = "Tokens per row (default: ${DEFAULT-VALUE}).")
    int sequence;

    @Option(names = "--batch", defaultValue = "8", description = "Rows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps, after 2 warm-up steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (hidden < 64 || hidden % 64 != 0 || layers < 1 || sequence < 2 || batch < 1 || steps < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--hidden must be a positive multiple of 64; --layers, --batch and --steps at least 1; --sequence at least 2");
      }
      TrainBenchmark.Result result = new TrainBenchmark(hidden, layers, sequence, batch, steps, System.err).run(scratch("train"));
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
    }
  }

  /** {@code crucible bench memory}. */
  @Command(
      name = "memory",
      mixinStandardHelpOptions = true,
      description = {
        "Runs two real SFT steps of a random model and compares the peak resident memory they add with the memory",
        "plan of the same shape ('crucible plan'), less the weights, which are loaded before. Prints planned_gib,",
        "measured_gib and measured_over_planned. Linux only."
      })
  static final class Memory implements Runnable {
    @Option(names = "--hidden", defaultValue = "512", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "4", description = "Layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "8", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "8", description = "Key-value heads, dividing --heads (default: ${DEFAULT-VALUE}).")
    int kvHeads;

    @Option(names = "--sequence", defaultValue = "1024", description = "Tokens per row (default: ${DEFAULT-VALUE}).")
    int sequence;

    @Option(names = "--batch", defaultValue = "2", description = "Rows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (layers < 1 || heads < 1 || kvHeads < 1 || heads % kvHeads != 0 || hidden % heads != 0 || (hidden / heads) % 2 != 0
          || sequence < 2 || batch < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--hidden must split into --heads heads of an even size, --kv-heads must divide --heads, --sequence be at least 2");
      }
      MemoryBenchmark.Result result = new MemoryBenchmark(hidden, layers, heads, kvHeads, sequence, batch, System.err).run(scratch("memory"));
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
    }
  }

  /** {@code crucible bench generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Generates from C random prompts with a random model of the curriculum's shape, first one at a time, then all",
        "at once, each run through a new batching engine. Prints sequential_tokens_per_second,",
        "concurrent_tokens_per_second, their ratio (speedup), the mean batch of the concurrent run, the share of prompt",
        "tokens each run copied from stored prefixes, and whether both runs sampled the same tokens.",
        "Threads: -Dai.djl.pytorch.num_threads=N in CRUCIBLE_JAVA_OPTS (torch_threads says how many ran)."
      })
  static final class Generate implements Runnable {
    @Option(names = "--concurrency", defaultValue = "8", description = "Generations (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--prompt-tokens", defaultValue = "256", description = "Tokens per prompt (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--shared-prefix-tokens", defaultValue = "0",
        description = "Leading tokens all prompts share, like a system prompt (default: ${DEFAULT-VALUE}).")
    int sharedPrefixTokens;

    @Option(names = "--new-tokens", defaultValue = "128", description = "Tokens each generation may write (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (concurrency < 1 || promptTokens < 1 || newTokens < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency, --prompt-tokens and --new-tokens must be at least 1");
      }
      if (sharedPrefixTokens < 0 || sharedPrefixTokens >= promptTokens) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--shared-prefix-tokens must be at least 0 and less than --prompt-tokens");
      }
      GenerateBenchmark.Result result = new GenerateBenchmark(concurrency, promptTokens, sharedPrefixTokens, newTokens, System.err).run();
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
    }
  }

  /** {@code crucible bench localize}. */
  @Command(
      name = "localize",
      mixinStandardHelpOptions = true,
      description = {
        "For each task, the problem statement as search_code's query on the task's snapshot (listed and indexed in a",
        "Docker sandbox as in an episode): hit@1, 5 and 10 at file and function level of BM25, of a ripgrep keyword",
        "baseline and, with --embeddings, of the dense vectors alone and fused with BM25, against the files and functions",
        "the gold patch changes. Prints one JSON line."
      })
  static final class Localize implements Runnable {
    @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Tasks (.jsonl or .parquet), local or any Hadoop URI.")
    String tasks;

    @Option(names = "--repos", paramLabel = "DIR", description = "Folder of the tasks' repositories (default: TASKS_DIR/repos).")
    String repos;

    @Option(names = "--max", defaultValue = "0", description = "At most this many tasks, the first ones; 0 for all (default: ${DEFAULT-VALUE}).")
    int max;

    @CommandLine.Mixin SandboxOptions sandbox;

    @CommandLine.Mixin EmbeddingsOption embeddings;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (max < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--max must be at least 0");
      }
      Configuration conf = new Configuration();
      org.apache.hadoop.fs.Path tasksFile = HadoopFiles.userPath(tasks);
      List<TaskInstance> loaded = SweBenchTasks.read(tasksFile, conf);
      org.apache.hadoop.fs.Path repositories =
          repos != null ? HadoopFiles.userPath(repos) : new org.apache.hadoop.fs.Path(tasksFile.getParent(), "repos");
      List<TaskInstance> chosen = max == 0 ? loaded : loaded.subList(0, Math.min(max, loaded.size()));
      ObjectNode figures = new LocalizeBenchmark(chosen,
          new TaskRepositories(repositories), SandboxFactory.of(sandbox.choice()),
          embeddings.endpoint == null ? null : OpenAiEmbeddings.connect(embeddings.endpoint), conf, System.err).run();
      spec.commandLine().getOut().println(figures);
      spec.commandLine().getOut().flush();
    }
  }

  static void printFromSpark(CommandSpec spec, String name, int workers, SparkBenchmark benchmark) {
    org.apache.spark.sql.SparkSession spark =
        dev.crucible.jobs.spark.SparkSessions.create("crucible-bench-" + name, "local[" + workers + "]", java.util.Map.of());
    try {
      spec.commandLine().getOut().println(benchmark.run(spark, scratch(name)));
      spec.commandLine().getOut().flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      spark.stop();
    }
  }

  /** A new temporary folder for benchmark {@code name}'s files. */
  static Path scratch(String name) {
    try {
      return java.nio.file.Files.createTempDirectory("crucible-bench-" + name + "-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
