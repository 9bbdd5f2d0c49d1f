package dev.crucible.jobs;

import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.InputFiles;
import dev.crucible.jobs.evaluate.EvaluateSettings;
import dev.crucible.jobs.evaluate.EvaluationRun;
import dev.crucible.jobs.evaluate.EvaluationSummary;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible evaluate}. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Grades predictions like the SWE-bench harness, as one Spark job: per instance report.json,",
      "test_output.txt and patch.diff under OUT/RUN_ID/MODEL/, the summary OUT/MODEL.RUN_ID.json, and",
      "the reward breakdowns in OUT/RUN_ID/rewards/. Instances with a report are skipped unless --force.",
      "A row with its own image and eval_script (SWE-bench 5) runs that script in that image as the official",
      "harness does, leaving eval.sh and run_instance.log too; other rows run their test_cmd in a hardened sandbox."
    })
final class EvaluateCommand implements Runnable {
  @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Tasks in the SWE-bench schema: .jsonl, .json (a list), .parquet, or a dataset folder of Parquet shards.")
  String tasks;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description = "The split to read when --tasks is a dataset folder of Parquet shards named by split (test-00000-of-00001.parquet); a folder of several splits is never merged.")
  String split;

  @Option(
      names = "--predictions",
      required = true,
      paramLabel = "FILE",
      description = "SWE-bench predictions: .jsonl, or .json (a list, or an object of predictions); 'gold' for every task's own patch.")
  String predictions;

  @Option(names = "--run-id", required = true, paramLabel = "ID", description = "Names this run's folder.")
  String runId;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (any Hadoop path).")
  String out;

  @Option(names = "--max-workers", defaultValue = "2", description = "Sandboxes at once per executor (default: ${DEFAULT-VALUE}).")
  int maxWorkers;

  @Option(names = "--report-dir", paramLabel = "DIR", description = "Where the run summaries go, as SWE-bench's --report_dir (default: --out).")
  String reportDir;

  @Option(names = "--repos", paramLabel = "DIR", description = "Folder of the tasks' repositories: owner__name.bundle git bundles on any Hadoop file system, or owner__name git directories locally (default: TASKS_DIR/repos).")
  String repos;

  @Option(names = "--force", description = "Re-evaluate instances that already have a report.")
  boolean force;

  @CommandLine.Mixin SandboxOptions sandbox;

  @Option(names = "--timeout", defaultValue = "1800", description = "Seconds the test command may run (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--max-attempts", defaultValue = "3", description = "Sandboxes tried per instance on infrastructure failures (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--no-coverage", description = "Do not run pytest under coverage.py (no changed-line coverage).")
  boolean noCoverage;

  @Option(names = "--no-lint", description = "Do not lint the touched files (no lint signal).")
  boolean noLint;

  @Option(
      names = "--network",
      description = "Let rows' own eval scripts (rows with image and eval_script) reach the network; off by default, as the patch's code runs there.")
  boolean network;

  @Option(names = "--memory", defaultValue = "8", paramLabel = "GIB", description = "Memory of a row's own image's container, GiB (default: ${DEFAULT-VALUE}).")
  double memoryGib;

  @Option(names = "--cpus", defaultValue = "2", description = "CPUs of a row's own image's container (default: ${DEFAULT-VALUE}).")
  double cpus;

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[MAX_WORKERS]).")
  String master;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    if (maxWorkers < 1 || timeoutSeconds < 1 || maxAttempts < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-workers, --timeout and --max-attempts must be at least 1");
    }
    if (!runId.matches("[A-Za-z0-9._-]+")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--run-id may hold only letters, digits, '.', '_' and '-'");
    }
    SandboxChoice sandboxes = sandbox.choice();
    ImageLimits imageLimits;
    try {
      imageLimits = new ImageLimits((long) (memoryGib * (1L << 30)), cpus, ImageLimits.DEFAULT.pidsLimit(), network, ImageLimits.DEFAULT.pullAttempts());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--memory and --cpus: " + e.getMessage());
    }
    // The inputs are checked before Spark starts: a wrong path fails in a moment, naming it.
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path tasksFile = HadoopFiles.userPath(tasks);
    InputFiles.require(tasksFile, conf, InputFiles.Kind.FILE_OR_DIRECTORY);
    if (!predictions.equals(EvaluationRun.GOLD)) {
      InputFiles.require(new org.apache.hadoop.fs.Path(predictions), conf, InputFiles.Kind.FILE);
    }
    org.apache.hadoop.fs.Path repositories = repos != null ? HadoopFiles.userPath(repos) : new org.apache.hadoop.fs.Path(tasksFile.getParent(), "repos");
    EvaluateSettings settings =
        new EvaluateSettings(
            runId, out, maxWorkers, force, sandboxes, Duration.ofSeconds(timeoutSeconds), maxAttempts, !noCoverage, !noLint,
            imageLimits, reportDir);
    String chosenMaster = master != null ? master : System.getProperty("spark.master") == null ? "local[" + maxWorkers + "]" : null;
    SparkSession spark = SparkSessions.create("crucible-evaluate-" + runId, chosenMaster, Map.of());
    try {
      EvaluationSummary summary =
          new EvaluationRun(settings, System.err)
              .run(spark, tasksFile, split, predictions.equals(EvaluationRun.GOLD) ? new org.apache.hadoop.fs.Path(predictions) : HadoopFiles.userPath(predictions),
                  repositories);
      spec.commandLine().getOut().print(summary.official().toJson());
      spec.commandLine().getOut().flush();
    } finally {
      spark.stop();
    }
  }
}
