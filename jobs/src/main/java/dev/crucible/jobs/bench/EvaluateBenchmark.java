package dev.crucible.jobs.bench;

import dev.crucible.data.Prediction;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.swebench.SweBenchPredictions;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.evaluate.EvaluateSettings;
import dev.crucible.jobs.evaluate.EvaluationRun;
import dev.crucible.jobs.evaluate.EvaluationSummary;
import dev.crucible.rollout.Parallel;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of {@code crucible evaluate} on gold patches against the bare work the docker command line
 * does for the same instances at the same concurrency: start a container with the same limits, copy
 * the tree of the base commit in, apply the patch, run the test command, remove the container.
 *
 * <p>Our side is the real Spark job (session started before timing) with coverage and lint off, since
 * the bare work computes neither; it also initializes a git repository in each sandbox and parses and
 * grades the log.
 */
public final class EvaluateBenchmark {
  private final int count;
  private final int workers;
  private final int warmPool;
  private final Path workDirectory;
  private final PrintStream progress;

  /** @param warmPool containers kept started ahead ({@link SandboxChoice#warmPool}) */
  public EvaluateBenchmark(int count, int workers, int warmPool, Path workDirectory, PrintStream progress) {
    this.count = count;
    this.workers = workers;
    this.warmPool = warmPool;
    this.workDirectory = workDirectory;
    this.progress = progress;
  }

  /** Runs both sides and returns the JSON line of their figures. */
  public String run(SparkSession spark) throws IOException {
    SampleTask sample = SampleTask.create(workDirectory.resolve("repos/bench__textops"));
    List<TaskInstance> tasks = new ArrayList<>();
    List<Prediction> predictions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "bench__textops-" + i;
      tasks.add(sample.task(id, "bench/textops"));
      predictions.add(new Prediction(id, "gold", sample.goldPatch()));
    }
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path tasksFile = new org.apache.hadoop.fs.Path(workDirectory.resolve("tasks.jsonl").toString());
    org.apache.hadoop.fs.Path predictionsFile = new org.apache.hadoop.fs.Path(workDirectory.resolve("gold.jsonl").toString());
    SweBenchTasks.write(tasksFile, conf, tasks);
    SweBenchPredictions.write(predictionsFile, conf, predictions);

    Path patch = workDirectory.resolve("gold.patch");
    Files.writeString(patch, sample.goldPatch());
    progress.printf("bench evaluate: warming up both sides%n");
    evaluate(spark, "warm-up", tasksFile, predictionsFile);
    bare(sample, tasks.get(0).baseCommit(), patch);

    progress.printf("bench evaluate: %d gold predictions through crucible evaluate%n", count);
    long start = System.nanoTime();
    EvaluationSummary summary = evaluate(spark, "bench", tasksFile, predictionsFile);
    double oursSeconds = (System.nanoTime() - start) / 1e9;
    if (summary.count(EvaluationOutcome.RESOLVED) != count) {
      throw new IllegalStateException("only " + summary.count(EvaluationOutcome.RESOLVED) + " of " + count + " gold patches resolved");
    }

    progress.printf("bench evaluate: the same through the docker command line%n");
    start = System.nanoTime();
    Parallel.map(tasks, workers, task -> bare(sample, task.baseCommit(), patch));
    double bareSeconds = (System.nanoTime() - start) / 1e9;
    return new Throughput("evaluate", "n", "instances_per_min", count, workers, warmPool, oursSeconds, bareSeconds).toJson();
  }

  private EvaluationSummary evaluate(
      SparkSession spark, String runId, org.apache.hadoop.fs.Path tasksFile, org.apache.hadoop.fs.Path predictionsFile) {
    EvaluateSettings settings =
        new EvaluateSettings(runId, workDirectory.resolve("out").toString(), workers, true,
            new SandboxChoice(SandboxFactory.Backend.DOCKER, null, warmPool), Duration.ofMinutes(10), 1, false, false,
            dev.crucible.rollout.sandbox.ImageLimits.DEFAULT, null);
    return new EvaluationRun(settings, progress).run(spark, tasksFile, predictionsFile, HadoopFiles.local(workDirectory.resolve("repos")));
  }

  /** One sandbox's bare work through the docker command line: start, copy the tree, apply, test, remove. */
  static Void bare(SampleTask sample, String baseCommit, Path patch) {
    return bare(sample, baseCommit, patch, List.of());
  }

  /** The same, with {@code explore} commands run in the sandbox before the patch goes in. */
  static Void bare(SampleTask sample, String baseCommit, Path patch, List<String> explore) {
    String id =
        docker(null, "run", "-d", "--network", "none", "--memory", "2g", "--memory-swap", "2g", "--cpus", "1",
                "--pids-limit", "512", "--init", "--label", "dev.crucible.bench=true", SandboxSpec.DEFAULT_IMAGE, "sleep", "infinity")
            .strip();
    try {
      command(null, "sh", "-c", "git -C \"$1\" archive --prefix=repo/ \"$2\" | docker cp - \"$3\":/", "copy",
          sample.repository().toString(), baseCommit, id);
      for (String command : explore) {
        docker(null, "exec", "-w", "/repo", id, "sh", "-c", command);
      }
      docker(patch.toFile(), "exec", "-i", "-w", "/repo", id, "git", "apply", "-");
      String tests = docker(null, "exec", "-w", "/repo", id, "python3", "-m", "pytest", "-rA", "-p", "no:cacheprovider");
      if (!tests.contains("4 passed")) {
        throw new IllegalStateException("the gold patch did not pass in the bare run:\n" + tests);
      }
    } finally {
      docker(null, "rm", "-f", id);
    }
    return null;
  }

  private static String docker(File input, String... arguments) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(arguments));
    return command(input, command.toArray(String[]::new));
  }

  private static String command(File input, String... command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (input != null) {
        builder.redirectInput(input);
      }
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
