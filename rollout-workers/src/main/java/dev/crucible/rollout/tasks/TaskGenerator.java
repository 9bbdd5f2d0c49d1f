package dev.crucible.rollout.tasks;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.LocalFiles;
import dev.crucible.reward.parsers.PytestLogParser;
import dev.crucible.reward.parsers.TestStatus;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Turns a Python repository with a pytest suite into tasks that are valid by construction.
 *
 * <ol>
 *   <li>The source tree is committed as {@code original} in a task repository of its own,
 *       {@code OUT_DIR/repos/local__NAME}, which the tasks point at.
 *   <li>The suite runs in a sandbox; the tests that pass are kept. A suite that does not collect, has
 *       no tests, or has no passing test is an error naming what failed.
 *   <li>The mutator lists candidate bugs; a {@link TrialRunner} tries them in an order fixed by the
 *       seed ({@link CandidateTrial} says what is kept). Duplicates (the same mutated file) are dropped.
 *   <li>Each kept bug is a commit on top of {@code original}, tagged {@code task/ID}; its task starts
 *       there, and the gold patch restores the original. FAIL_TO_PASS are the tests the bug breaks,
 *       PASS_TO_PASS the passing tests it leaves passing. The problem statement ends with the hint of
 *       the configured {@link HintLevel} ({@link TaskHints}); which bugs are kept does not depend on it,
 *       so the same seed gives the same tasks at every level.
 * </ol>
 */
public final class TaskGenerator {
  public static final String TEST_COMMAND = "python3 -m pytest -rA -p no:cacheprovider";
  /** Where the mutator writes its candidates, in the workdir of a sandbox used for nothing after. */
  private static final String CANDIDATES_FILE = ".crucible-candidates.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);

  /**
   * @param maxTasks stop after this many tasks
   * @param seed fixes the order candidates are tried in
   * @param image sandbox image
   * @param testTimeout longest one run of the suite may take; a mutation that runs longer hangs
   * @param hints how much of the fix each problem statement gives away: task {@code i} (from 0, in the
   *     order kept) gets {@code hints[i % hints.size()]}, so a list mixes levels evenly
   */
  public record Options(int maxTasks, long seed, String image, Duration testTimeout, List<HintLevel> hints) {
    public Options {
      if (maxTasks < 1) {
        throw new IllegalArgumentException("maxTasks must be at least 1, got " + maxTasks);
      }
      hints = List.copyOf(hints);
      if (hints.isEmpty()) {
        throw new IllegalArgumentException("give at least one hint level");
      }
    }

    /** Every task at hint level {@code hint}. */
    public Options(int maxTasks, long seed, String image, Duration testTimeout, HintLevel hint) {
      this(maxTasks, seed, image, testTimeout, List.of(hint));
    }

    /** The hint level of the {@code index}-th task kept. */
    public HintLevel hint(int index) {
      return hints.get(index % hints.size());
    }
  }

  private final SandboxFactory sandboxes;
  private final TrialRunner trials;
  private final Options options;
  private final PrintStream progress;

  /**
   * @param sandboxes for the baseline run and the candidate list
   * @param trials runs the candidate trials
   */
  public TaskGenerator(SandboxFactory sandboxes, TrialRunner trials, Options options, PrintStream progress) {
    this.sandboxes = sandboxes;
    this.trials = trials;
    this.options = options;
    this.progress = progress;
  }

  /**
   * Generates tasks from {@code source} into a task repository under {@code outDirectory/repos}, as a git
   * directory and as its bundle (see {@link TaskRepositories}).
   *
   * @throws TaskGenerationException when the repository has no usable test suite
   */
  public List<GeneratedTask> generate(Path source, Path outDirectory) {
    String name = source.toAbsolutePath().normalize().getFileName().toString();
    Path repositories = outDirectory.resolve("repos").toAbsolutePath();
    Path taskRepository = repositories.resolve(TaskRepositories.entryName("local/" + name));
    String original = createTaskRepository(source, taskRepository);
    TrialContext context;
    List<MutationCandidate> candidates;
    try (Sandbox sandbox =
        sandboxes.create(new TrialContext(options.image(), taskRepository.toString(), original, "generate-" + name, List.of(), 0).sandboxSpec())) {
      List<String> passing = passingTests(sandbox, source);
      context = new TrialContext(options.image(), taskRepository.toString(), original, "generate-" + name, passing, options.testTimeout().toSeconds());
      candidates = listCandidates(sandbox);
    }
    progress.printf("tasks: %s: %d tests pass; %d candidate bugs%n", name, context.passing().size(), candidates.size());
    Collections.shuffle(candidates, new Random(options.seed()));
    List<GeneratedTask> tasks = commitTasks(taskRepository, original, "local/" + name, name, tryCandidates(context, candidates), context);
    // The bundle is what travels with the run to the executors; the directory serves local tools.
    new TaskRepositories(HadoopFiles.local(repositories)).writeBundle("local/" + name, taskRepository, new Configuration());
    return tasks;
  }

  private String createTaskRepository(Path source, Path taskRepository) {
    try {
      LocalFiles.deleteTree(taskRepository);
      Files.createDirectories(taskRepository);
      if (Files.isDirectory(source.resolve(".git"))) {
        Process archive =
            new ProcessBuilder("sh", "-c", "git -C \"$1\" archive HEAD | tar -x -C \"$2\"", "copy", source.toString(), taskRepository.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(archive.getInputStream().readAllBytes(), UTF_8);
        if (archive.waitFor() != 0) {
          throw new TaskGenerationException("cannot copy the repository " + source + ": " + output.strip());
        }
      } else {
        copyTree(source, taskRepository);
      }
      Git.run(taskRepository, "init", "-q", "-b", "original");
      Git.run(taskRepository, "add", "-A");
      Git.run(taskRepository, "commit", "-q", "--allow-empty", "-m", "original");
      return Git.run(taskRepository, "rev-parse", "HEAD").strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the task repository " + taskRepository, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private List<String> passingTests(Sandbox sandbox, Path source) {
    ExecResult run = sandbox.exec(CandidateTrial.WIDE_TEST_COMMAND, options.testTimeout());
    String output = run.stdout() + "\n" + run.stderr();
    if (run.timedOut()) {
      throw new TaskGenerationException("the test suite of " + source + " ran past " + options.testTimeout().toSeconds() + " s");
    }
    if (run.exitCode() == 5) {
      throw new TaskGenerationException("pytest collected no tests in " + source + "; the factory needs a pytest suite");
    }
    if (run.exitCode() == 2 || run.exitCode() == 3 || run.exitCode() == 4 || output.contains("ERROR collecting")) {
      throw new TaskGenerationException(
          "the test suite of " + source + " cannot be collected (pytest exit " + run.exitCode() + "):\n" + collectionErrors(output));
    }
    Map<String, TestStatus> statuses = new PytestLogParser().parse(output);
    List<String> passing =
        statuses.entrySet().stream().filter(e -> e.getValue() == TestStatus.PASSED).map(Map.Entry::getKey).sorted().toList();
    if (passing.isEmpty()) {
      throw new TaskGenerationException(
          "no test of " + source + " passes before any mutation (" + statuses.size() + " tests ran); fix the suite first");
    }
    return passing;
  }

  private static String collectionErrors(String output) {
    List<String> lines = output.lines().filter(line -> line.startsWith("ERROR") || line.startsWith("E   ")).limit(12).toList();
    return lines.isEmpty() ? output.strip() : String.join("\n", lines);
  }

  /**
   * The mutator's candidates. The list goes through a file: a large repository's (thousands of
   * candidates) is longer than the output a command keeps.
   */
  private static List<MutationCandidate> listCandidates(Sandbox sandbox) {
    String mutator = CandidateTrial.installMutator(sandbox);
    ExecResult listing = sandbox.exec("python3 " + mutator + " list . > " + CANDIDATES_FILE, SETUP_TIMEOUT);
    if (!listing.succeeded()) {
      throw new TaskGenerationException("the mutator failed: " + listing.stderr().strip());
    }
    try {
      List<MutationCandidate> candidates = new ArrayList<>();
      for (JsonNode node : MAPPER.readTree(sandbox.readFile(CANDIDATES_FILE))) {
        candidates.add(
            new MutationCandidate(
                node.get("id").asInt(), node.get("kind").asText(), node.get("file").asText(), node.get("function").asText(),
                node.get("line").asInt()));
      }
      return candidates;
    } catch (IOException e) {
      throw new TaskGenerationException("the mutator printed no valid list: " + e.getMessage());
    }
  }

  /**
   * Tries candidates in order, a batch at a time, and returns the first {@code maxTasks} kept ones in
   * that order, however the runner spreads the work, so the result depends only on the seed.
   */
  private List<TrialResult> tryCandidates(TrialContext context, List<MutationCandidate> candidates) {
    List<TrialResult> kept = new ArrayList<>();
    Set<String> seenSources = new HashSet<>();
    int batch = trials.batchSize();
    for (int from = 0; from < candidates.size() && kept.size() < options.maxTasks(); from += batch) {
      int to = Math.min(candidates.size(), from + batch);
      for (TrialResult trial : trials.run(context, candidates.subList(from, to))) {
        if (trial != null && kept.size() < options.maxTasks() && seenSources.add(trial.candidate().file() + "\n" + trial.mutatedSource())) {
          kept.add(trial);
        }
      }
      progress.printf("tasks: tried %d of %d candidates, kept %d (target %d)%n", to, candidates.size(), kept.size(), options.maxTasks());
    }
    return kept;
  }

  private List<GeneratedTask> commitTasks(
      Path taskRepository, String original, String repo, String name, List<TrialResult> kept, TrialContext context) {
    List<GeneratedTask> tasks = new ArrayList<>();
    try {
      for (int index = 0; index < kept.size(); index++) {
        TrialResult trial = kept.get(index);
        String instanceId = "local__" + name + "-" + (index + 1);
        Git.run(taskRepository, "checkout", "-q", "--detach", original);
        Files.writeString(taskRepository.resolve(trial.candidate().file()), trial.mutatedSource());
        Git.run(taskRepository, "commit", "-q", "-am", instanceId + ": " + trial.candidate().kind() + " in " + trial.candidate().file());
        String bug = Git.run(taskRepository, "rev-parse", "HEAD").strip();
        Git.run(taskRepository, "tag", "task/" + instanceId, bug);
        String gold = Git.run(taskRepository, "diff", bug, original);
        List<String> passToPass = context.passing().stream().filter(test -> !trial.failing().contains(test)).toList();
        HintLevel hint = options.hint(index);
        String statement = problemStatement(trial) + TaskHints.text(hint, trial.candidate(), gold, trial.mutatedSource());
        TaskInstance task =
            new TaskInstance(
                instanceId, repo, bug, statement, "", gold, "",
                trial.failing(), passToPass, "0", null, null, options.image(), TEST_COMMAND, "pytest", hint);
        tasks.add(new GeneratedTask(task, trial.candidate()));
      }
      Git.run(taskRepository, "checkout", "-q", "original");
      return tasks;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit tasks in " + taskRepository, e);
    }
  }

  /** What a user would report: the failing tests and their messages, never the cause or the fix. */
  static String problemStatement(TrialResult trial) {
    StringBuilder text = new StringBuilder("Some tests fail on the current code.\n\nFailing tests:\n");
    trial.failing().stream().limit(5).forEach(test -> {
      text.append("- ").append(test);
      String message = trial.messages().get(test);
      if (message != null) {
        text.append(": ").append(message.length() > 200 ? message.substring(0, 200) + "..." : message);
      }
      text.append('\n');
    });
    if (trial.failing().size() > 5) {
      text.append("- and ").append(trial.failing().size() - 5).append(" more\n");
    }
    return text.append("\nMake these tests pass without changing the tests.\n").toString();
  }

  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path path : files.toList()) {
        Path relative = source.relativize(path);
        String first = relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
        if (first.equals(".git") || relative.toString().contains("__pycache__") || first.equals(".pytest_cache")) {
          continue;
        }
        Path destination = target.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(path, destination);
        }
      }
    }
  }
}
