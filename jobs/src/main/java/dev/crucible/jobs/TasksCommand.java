package dev.crucible.jobs;

import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.HostCache;
import dev.crucible.data.io.InputFiles;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.jobs.tasks.SparkTrialRunner;
import dev.crucible.jobs.tasks.SweBench5TaskRepository;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.tasks.GeneratedTask;
import dev.crucible.rollout.tasks.GeneratedTasks;
import dev.crucible.rollout.tasks.LocalTrialRunner;
import dev.crucible.rollout.tasks.TaskGenerator;
import dev.crucible.rollout.tasks.TaskValidator;
import dev.crucible.rollout.tasks.TrialRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible tasks …}: the task factory. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description = "Generate SWE-bench-format tasks from a Python repository, validate tasks by running them, export them.",
    subcommands = {TasksCommand.Generate.class, TasksCommand.Validate.class, TasksCommand.Export.class})
final class TasksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (generate, validate or export)");
  }

  /** {@code crucible tasks generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Plants bugs in the non-test modules of a Python repository with a pytest suite (syntax-tree",
        "mutations), keeps those that make tests fail, and writes one task per bug. The task repository",
        "goes to OUT_DIR/repos/local__NAME, with one commit per task on top of the original."
      })
  static final class Generate implements Runnable {
    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The Python repository (a git repository or a plain folder).")
    Path repo;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The task file to write (.jsonl).")
    Path out;

    @Option(names = "--max", defaultValue = "50", description = "Most tasks to generate (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--seed", defaultValue = "0", description = "Fixes which bugs are tried first (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--hint",
        defaultValue = "none",
        paramLabel = "LEVEL[,LEVEL...]",
        description = "What each problem statement gives away: none, file, function, line or fix (the exact replacement), or a comma-separated"
            + " list taken in turn, task by task, for a mix; recorded as hint_level (default: ${DEFAULT-VALUE}).")
    String hint;

    @Option(
        names = "--held-out",
        defaultValue = "0",
        paramLabel = "N",
        description = "Write the last N generated tasks to OUT's name with .held-out.jsonl instead, never to train on (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--image", defaultValue = SandboxSpec.DEFAULT_IMAGE, description = "Sandbox image (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--workers", defaultValue = "2", description = "Sandboxes at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--test-timeout", defaultValue = "120", description = "Seconds one run of the suite may take (default: ${DEFAULT-VALUE}).")
    int testTimeout;

    @CommandLine.Mixin SandboxOptions sandbox;

    @Option(
        names = "--spark",
        description = "Spread the candidate trials over Spark executors (for large repositories); the master is --master, else local[WORKERS].")
    boolean spark;

    @Option(names = "--master", description = "Spark master for --spark.")
    String master;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      InputFiles.require(repo, InputFiles.Kind.DIRECTORY);
      if (!out.getFileName().toString().endsWith(".jsonl")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--out must name a .jsonl file, got " + out);
      }
      if (max < 1 || workers < 1 || testTimeout < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--max, --workers and --test-timeout must be at least 1");
      }
      if (heldOut < 0 || heldOut >= max) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--held-out must be at least 0 and below --max (" + max + "), got " + heldOut);
      }
      List<HintLevel> hints = new java.util.ArrayList<>();
      try {
        for (String level : hint.split(",")) {
          hints.add(HintLevel.fromTableName(level.strip()));
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--hint: " + e.getMessage());
      }
      Path outDirectory = out.toAbsolutePath().getParent();
      SandboxFactory sandboxes = SandboxFactory.of(sandbox.choice());
      TaskGenerator.Options options = new TaskGenerator.Options(max, seed, image, Duration.ofSeconds(testTimeout), hints);
      List<GeneratedTask> tasks;
      if (spark) {
        SparkSession session =
            SparkSessions.create("crucible-tasks-generate", master != null ? master : "local[" + workers + "]", java.util.Map.of());
        try {
          TrialRunner trials = new SparkTrialRunner(JavaSparkContext.fromSparkContext(session.sparkContext()), sandbox.choice());
          tasks = new TaskGenerator(sandboxes, trials, options, System.err).generate(repo, outDirectory);
        } finally {
          session.stop();
        }
      } else {
        try (LocalTrialRunner trials = new LocalTrialRunner(sandboxes, workers)) {
          tasks = new TaskGenerator(sandboxes, trials, options, System.err).generate(repo, outDirectory);
        }
      }
      GeneratedTasks.Split split = GeneratedTasks.split(tasks, heldOut);
      GeneratedTasks.write(new org.apache.hadoop.fs.Path(out.toAbsolutePath().toString()), new Configuration(), split.train());
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf("wrote %d tasks (hint %s) to %s (repositories under %s)%n", split.train().size(), hint.replace(" ", ""), out,
          outDirectory.resolve("repos"));
      if (heldOut > 0) {
        Path heldOutFile = heldOutFile(out);
        GeneratedTasks.write(new org.apache.hadoop.fs.Path(heldOutFile.toAbsolutePath().toString()), new Configuration(), split.heldOut());
        stdout.printf("wrote %d held-out tasks to %s%s%n", split.heldOut().size(), heldOutFile,
            split.heldOut().size() < heldOut ? " (fewer than asked: only " + tasks.size() + " tasks were generated)" : "");
      }
      stdout.flush();
    }
  }

  /** {@code tasks.jsonl} → {@code tasks.held-out.jsonl}. */
  static Path heldOutFile(Path out) {
    String name = out.getFileName().toString();
    return out.resolveSibling(name.substring(0, name.length() - ".jsonl".length()) + ".held-out.jsonl");
  }

  /** {@code crucible tasks validate}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Checks every task by running it with the grading code of crucible evaluate: the gold patch must",
        "resolve it and the base commit without a patch must not. Prints a table; exits 1 if any task fails."
      })
  static final class Validate implements Callable<Integer> {
    @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Tasks (.jsonl or .parquet).")
    Path tasks;

    @Option(names = "--repos", paramLabel = "DIR", description = "Folder of the tasks' git repositories, as owner__name (default: TASKS_DIR/repos).")
    Path repos;

    @Option(names = "--max-workers", defaultValue = "2", description = "Tasks validated at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @CommandLine.Mixin SandboxOptions sandbox;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<TaskInstance> loaded = SweBenchTasks.read(new org.apache.hadoop.fs.Path(tasks.toAbsolutePath().toString()), new Configuration());
      TaskRepositories repositories = new TaskRepositories(HadoopFiles.local(repos != null ? repos : tasks.toAbsolutePath().getParent().resolve("repos")));
      Evaluator evaluator =
          new Evaluator(
              SandboxFactory.of(sandbox.choice()),
              new EvaluationOptions(Duration.ofMinutes(10), 3, false, false, dev.crucible.reward.signals.RewardWeights.defaults()));
      List<TaskValidator.Verdict> verdicts =
          new TaskValidator(evaluator, workers).validate(loaded,
              task -> task.runsItsEvalScript() ? null : repositories.localClone(task.repo(), new Configuration(), HostCache.onThisHost()));
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf("%-40s %-12s %-12s %s%n", "instance_id", "gold", "no patch", "valid");
      long invalid = 0;
      for (TaskValidator.Verdict verdict : verdicts) {
        stdout.printf(
            "%-40s %-12s %-12s %s%n", verdict.instanceId(), verdict.gold().reportName(), verdict.unpatched().reportName(),
            verdict.valid() ? "yes" : "NO: " + verdict.detail());
        invalid += verdict.valid() ? 0 : 1;
      }
      stdout.printf("%d of %d tasks valid%n", verdicts.size() - invalid, verdicts.size());
      stdout.flush();
      return invalid == 0 ? 0 : CrucibleCommand.EXIT_FAILURE;
    }
  }

  /** {@code crucible tasks export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Writes tasks as a SWE-bench 5 task repository (sweb.yaml, tasks/ID/ with task.yaml, tests.json,",
        "problem_statement.md, gold.patch, test.patch, eval.sh, a Dockerfile and the repository as repo.bundle),",
        "which SWE-bench's task tools check and build."
      })
  static final class Export implements Runnable {
    @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Tasks (.jsonl, .json or .parquet).")
    Path tasks;

    @Option(names = "--format", required = true, description = "The layout to write: swebench5.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The task repository to write.")
    Path out;

    @Option(names = "--repos", paramLabel = "DIR", description = "Folder of the tasks' git repositories, as owner__name (default: TASKS_DIR/repos).")
    Path repos;

    @Option(names = "--dataset", defaultValue = "crucible/tasks", description = "The dataset name in sweb.yaml (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (!format.equals("swebench5")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--format: unknown layout '" + format + "'; known: swebench5");
      }
      List<TaskInstance> loaded = SweBenchTasks.read(new org.apache.hadoop.fs.Path(tasks.toAbsolutePath().toString()), new Configuration());
      Path repositories = repos != null ? repos : tasks.toAbsolutePath().getParent().resolve("repos");
      try {
        SweBench5TaskRepository.write(loaded, repositories, dataset, out);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      spec.commandLine().getOut().printf("wrote %d tasks as a SWE-bench 5 task repository to %s%n", loaded.size(), out);
      spec.commandLine().getOut().flush();
    }
  }
}
