package dev.crucible.rollout.tasks;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.TaskInstance;
import dev.crucible.reward.parsers.PytestLogParser;
import dev.crucible.reward.parsers.TestStatus;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a Python repository with a pytest suite into validated-by-construction tasks.
 *
 * <ol>
 *   <li>The source tree is committed as {@code original} in a task repository of its own,
 *       {@code OUT_DIR/repos/local__NAME}, which the tasks point at.
 *   <li>The suite runs in a sandbox; the tests that pass are kept. A suite that does not collect, has
 *       no tests, or has no passing test is an error naming what failed.
 *   <li>The mutator lists candidate bugs; they are tried in an order fixed by the seed, each in a
 *       sandbox (several sandboxes at once): kept when the suite still collects every kept test, no
 *       test hangs, and at least one kept test fails. Duplicates (the same mutated file) are dropped.
 *   <li>Each kept bug is a commit on top of {@code original}, tagged {@code task/ID}; its task starts
 *       there, and the gold patch restores the original. FAIL_TO_PASS are the tests the bug breaks,
 *       PASS_TO_PASS the kept tests it leaves passing.
 * </ol>
 */
public final class TaskGenerator {
  public static final String TEST_COMMAND = "python3 -m pytest -rA -p no:cacheprovider";
  /** The factory's own runs print wide summary lines, so assertion messages reach the problem statement whole. */
  private static final String WIDE_TEST_COMMAND = "COLUMNS=240 " + TEST_COMMAND;
  private static final Pattern FAILURE_LINE = Pattern.compile("(?m)^(?:FAILED|ERROR) (\\S+) - (.*)$");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);

  /**
   * @param maxTasks stop after this many tasks
   * @param seed fixes the order candidates are tried in
   * @param image sandbox image
   * @param workers sandboxes at once
   * @param testTimeout longest one run of the suite may take; a mutation that runs longer hangs
   */
  public record Options(int maxTasks, long seed, String image, int workers, Duration testTimeout) {
    public Options {
      if (maxTasks < 1 || workers < 1) {
        throw new IllegalArgumentException("maxTasks and workers must be at least 1, got " + maxTasks + " and " + workers);
      }
    }
  }

  private final SandboxFactory sandboxes;
  private final Options options;
  private final PrintStream progress;

  public TaskGenerator(SandboxFactory sandboxes, Options options, PrintStream progress) {
    this.sandboxes = sandboxes;
    this.options = options;
    this.progress = progress;
  }

  /** What the suite did on the original code. */
  private record Baseline(Set<String> passing) {}

  /** The outcome of one candidate: empty when it was not kept. */
  private record Trial(MutationCandidate candidate, String mutatedSource, List<String> failing, Map<String, String> messages) {}

  /**
   * Generates tasks from {@code source} into a task repository under {@code outDirectory/repos}.
   *
   * @throws TaskGenerationException when the repository has no usable test suite
   */
  public List<GeneratedTask> generate(Path source, Path outDirectory) {
    String name = source.toAbsolutePath().normalize().getFileName().toString();
    String repo = "local/" + name;
    Path taskRepository = outDirectory.resolve("repos").resolve("local__" + name);
    String original = createTaskRepository(source, taskRepository);
    SandboxSpec spec =
        SandboxSpec.builder().image(options.image()).repository(taskRepository).baseCommit(original).taskId("generate-" + name).build();

    List<MutationCandidate> candidates;
    Baseline baseline;
    try (Sandbox sandbox = sandboxes.create(spec)) {
      baseline = baseline(sandbox, source);
      candidates = listCandidates(sandbox);
    }
    progress.printf("tasks: %s: %d tests pass; %d candidate bugs%n", name, baseline.passing().size(), candidates.size());
    Collections.shuffle(candidates, new Random(options.seed()));

    List<Trial> kept = tryCandidates(spec, candidates, baseline);
    return commitTasks(taskRepository, original, repo, name, kept, baseline);
  }

  private String createTaskRepository(Path source, Path taskRepository) {
    try {
      if (Files.exists(taskRepository)) {
        deleteTree(taskRepository);
      }
      Files.createDirectories(taskRepository);
      if (Files.isDirectory(source.resolve(".git"))) {
        Process archive = new ProcessBuilder("sh", "-c", "git -C \"$1\" archive HEAD | tar -x -C \"$2\"", "copy", source.toString(), taskRepository.toString())
            .redirectErrorStream(true).start();
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

  private Baseline baseline(Sandbox sandbox, Path source) {
    ExecResult run = sandbox.exec(WIDE_TEST_COMMAND, options.testTimeout());
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
    Set<String> passing = new HashSet<>();
    statuses.forEach((test, status) -> {
      if (status == TestStatus.PASSED) {
        passing.add(test);
      }
    });
    if (passing.isEmpty()) {
      throw new TaskGenerationException(
          "no test of " + source + " passes before any mutation (" + statuses.size() + " tests ran); fix the suite first");
    }
    return new Baseline(passing);
  }

  private static String collectionErrors(String output) {
    List<String> lines = output.lines().filter(line -> line.startsWith("ERROR") || line.startsWith("E   ")).limit(12).toList();
    return lines.isEmpty() ? output.strip() : String.join("\n", lines);
  }

  private List<MutationCandidate> listCandidates(Sandbox sandbox) {
    String mutator = installMutator(sandbox);
    ExecResult listing = sandbox.exec("python3 " + mutator + " list .", SETUP_TIMEOUT);
    if (!listing.succeeded()) {
      throw new TaskGenerationException("the mutator failed: " + listing.stderr().strip());
    }
    try {
      List<MutationCandidate> candidates = new ArrayList<>();
      for (JsonNode node : MAPPER.readTree(listing.stdout())) {
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

  private static String installMutator(Sandbox sandbox) {
    try (InputStream in = TaskGenerator.class.getResourceAsStream("mutator.py")) {
      return sandbox.writeScratchFile("mutator.py", in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("mutator.py is missing from the jar", e);
    }
  }

  /**
   * Tries candidates in order with several sandboxes and returns the first {@code maxTasks} kept ones
   * in that order, whatever order the sandboxes finish in, so the result depends only on the seed.
   */
  private List<Trial> tryCandidates(SandboxSpec spec, List<MutationCandidate> candidates, Baseline baseline) {
    List<Trial> kept = new ArrayList<>();
    Set<String> seenSources = new HashSet<>();
    int batch = options.workers() * 4;
    ExecutorService pool = Executors.newFixedThreadPool(options.workers());
    ThreadLocal<Sandbox> sandbox = new ThreadLocal<>();
    ThreadLocal<String> mutator = new ThreadLocal<>();
    List<Sandbox> opened = Collections.synchronizedList(new ArrayList<>());
    try {
      for (int from = 0; from < candidates.size() && kept.size() < options.maxTasks(); from += batch) {
        List<Future<Trial>> trials = new ArrayList<>();
        for (MutationCandidate candidate : candidates.subList(from, Math.min(candidates.size(), from + batch))) {
          trials.add(
              pool.submit(
                  () -> {
                    if (sandbox.get() == null) {
                      Sandbox created = sandboxes.create(spec);
                      opened.add(created);
                      sandbox.set(created);
                      mutator.set(installMutator(created));
                    }
                    return trial(sandbox.get(), mutator.get(), candidate, baseline);
                  }));
        }
        for (Future<Trial> future : trials) {
          Trial trial = future.get();
          if (trial != null && kept.size() < options.maxTasks() && seenSources.add(trial.candidate().file() + "\n" + trial.mutatedSource())) {
            kept.add(trial);
          }
        }
        progress.printf(
            "tasks: tried %d of %d candidates, kept %d (target %d)%n",
            Math.min(candidates.size(), from + batch), candidates.size(), kept.size(), options.maxTasks());
      }
      return kept;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
      opened.forEach(Sandbox::close);
    }
  }

  /** Applies, tests and reverts one candidate; null when it is not kept. */
  private Trial trial(Sandbox sandbox, String mutator, MutationCandidate candidate, Baseline baseline) {
    try {
      if (!sandbox.exec("python3 " + mutator + " apply . " + candidate.id(), SETUP_TIMEOUT).succeeded()) {
        return null;
      }
      String mutated = new String(sandbox.readFile(candidate.file()), UTF_8);
      ExecResult run = sandbox.exec(WIDE_TEST_COMMAND, options.testTimeout());
      if (run.timedOut()) {
        return null;
      }
      String output = run.stdout() + "\n" + run.stderr();
      Map<String, TestStatus> statuses = new PytestLogParser().parse(output);
      if (!statuses.keySet().containsAll(baseline.passing())) {
        return null;
      }
      List<String> failing = baseline.passing().stream().filter(test -> statuses.get(test).isFailure()).sorted().toList();
      if (failing.isEmpty()) {
        return null;
      }
      Map<String, String> messages = new LinkedHashMap<>();
      Matcher failure = FAILURE_LINE.matcher(output);
      while (failure.find()) {
        messages.putIfAbsent(failure.group(1), failure.group(2).strip());
      }
      return new Trial(candidate, mutated, failing, messages);
    } finally {
      sandbox.exec("git checkout -q -- . && git clean -qfd", SETUP_TIMEOUT);
    }
  }

  private List<GeneratedTask> commitTasks(
      Path taskRepository, String original, String repo, String name, List<Trial> kept, Baseline baseline) {
    List<GeneratedTask> tasks = new ArrayList<>();
    try {
      for (int index = 0; index < kept.size(); index++) {
        Trial trial = kept.get(index);
        String instanceId = "local__" + name + "-" + (index + 1);
        Git.run(taskRepository, "checkout", "-q", "--detach", original);
        Files.writeString(taskRepository.resolve(trial.candidate().file()), trial.mutatedSource());
        Git.run(taskRepository, "commit", "-q", "-am", instanceId + ": " + trial.candidate().kind() + " in " + trial.candidate().file());
        String bug = Git.run(taskRepository, "rev-parse", "HEAD").strip();
        Git.run(taskRepository, "tag", "task/" + instanceId, bug);
        String gold = Git.run(taskRepository, "diff", bug, original);
        List<String> passToPass = baseline.passing().stream().filter(test -> !trial.failing().contains(test)).sorted().toList();
        TaskInstance task =
            new TaskInstance(
                instanceId, repo, bug, problemStatement(trial), "", gold, "", trial.failing(), passToPass, "0", null, null,
                options.image(), TEST_COMMAND, "pytest");
        tasks.add(new GeneratedTask(task, trial.candidate()));
      }
      Git.run(taskRepository, "checkout", "-q", "original");
      return tasks;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit tasks in " + taskRepository, e);
    }
  }

  /** What a user would report: the failing tests and their messages, never the cause or the fix. */
  static String problemStatement(Trial trial) {
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

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
