package dev.crucible.jobs.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes tasks as a SWE-bench 5 task repository, the layout its {@code swebench.task} tools read and
 * check: {@code sweb.yaml} naming the dataset, and per task {@code tasks/ID/} with {@code task.yaml},
 * {@code tests.json}, {@code problem_statement.md}, {@code hints.md} (when there are hints),
 * {@code gold.patch}, {@code test.patch}, {@code eval.sh} and a {@code Dockerfile} that builds the
 * task's image from its sandbox image and the repository at its base commit, carried beside it as
 * {@code repo.bundle}.
 *
 * <p>The eval script has the official shape: {@code /testbed}, the test files reset to the base
 * commit, the test patch applied, the test command between the start and end markers. The image is
 * named as the harness derives it from the instance id.
 */
public final class SweBench5TaskRepository {
  /** Crucible's parsers by the official parser that reads the same output. */
  private static final Map<String, String> OFFICIAL_PARSERS = Map.of("pytest", "parse_log_pytest");
  private static final Pattern DIFF_HEADER = Pattern.compile("^diff --git a/(\\S+) b/(\\S+)$", Pattern.MULTILINE);
  private static final ObjectMapper JSON = new ObjectMapper();

  private SweBench5TaskRepository() {}

  /**
   * Writes {@code tasks} under {@code out} as dataset {@code dataset}, split {@code test}, each task's
   * repository found in {@code repositories} as {@code owner__name}.
   *
   * @throws IllegalArgumentException naming every task that cannot be exported: a parser with no
   *     official counterpart, no test command, no repository
   */
  public static void write(List<TaskInstance> tasks, Path repositories, String dataset, Path out) {
    List<String> problems = new ArrayList<>();
    for (TaskInstance task : tasks) {
      if (task.logParser() == null || officialParser(task.logParser()) == null) {
        problems.add("task '" + task.instanceId() + "': log_parser '" + task.logParser()
            + "' has no SWE-bench counterpart (exportable: " + String.join(", ", OFFICIAL_PARSERS.keySet())
            + ", or an official parse_log_* name)");
      }
      if (task.testCmd() == null || task.testCmd().isBlank()) {
        problems.add("task '" + task.instanceId() + "' has no test_cmd");
      }
      if (!Files.isDirectory(repository(task, repositories).resolve(".git"))) {
        problems.add("task '" + task.instanceId() + "': no git repository at " + repository(task, repositories));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("sweb.yaml"), "datasets:\n- " + quoted(dataset) + "\nsplits:\n- test\n");
      for (TaskInstance task : tasks) {
        writeTask(task, repository(task, repositories), dataset, out.resolve("tasks").resolve(task.instanceId()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the task repository " + out, e);
    }
  }

  /** The image name SWE-bench derives for an instance ({@code expected_image}). */
  public static String imageName(String instanceId) {
    return ("swebench/" + ("sweb.eval.x86_64." + instanceId + ":latest").toLowerCase(Locale.ROOT)).replace("__", "_1776_");
  }

  /** The eval script of {@code task}, run by the harness as {@code /bin/bash /eval.sh}. */
  public static String evalScript(TaskInstance task) {
    StringBuilder script = new StringBuilder("#!/bin/bash\nset -uxo pipefail\ncd /testbed\n");
    Set<String> testFiles = touchedFiles(task.testPatch());
    String reset =
        "git checkout " + task.baseCommit() + " -- " + String.join(" ", testFiles.stream().map(SweBench5TaskRepository::shellWord).toList())
            + "\n";
    if (!testFiles.isEmpty()) {
      String delimiter = heredocDelimiter(task.testPatch());
      script.append(reset)
          .append("git apply -v - <<'").append(delimiter).append("'\n")
          .append(task.testPatch()).append(task.testPatch().endsWith("\n") ? "" : "\n")
          .append(delimiter).append('\n');
    }
    script.append(": '>>>>> Start Test Output'\n").append(task.testCmd()).append('\n').append(": '>>>>> End Test Output'\n");
    if (!testFiles.isEmpty()) {
      script.append(reset);
    }
    return script.toString();
  }

  private static void writeTask(TaskInstance task, Path repository, String dataset, Path directory) throws IOException {
    Files.createDirectories(directory);
    // Keys sorted, as the official tools write task.yaml; each value already in YAML.
    Map<String, String> meta = new TreeMap<>();
    meta.put("base_commit", " " + quoted(task.baseCommit()));
    meta.put("datasets", "\n- " + quoted(dataset));
    meta.put("eval_type", " " + quoted(task.evalType().rowValue()));
    meta.put("image", " " + quoted(imageName(task.instanceId())));
    meta.put("instance_id", " " + quoted(task.instanceId()));
    meta.put("log_parser", " " + quoted(officialParser(task.logParser())));
    meta.put("repo", " " + quoted(task.repo()));
    meta.put("split", " " + quoted("test"));
    meta.put("version", " " + quoted(task.version() == null ? "" : task.version()));
    if (task.createdAt() != null) {
      meta.put("created_at", " " + quoted(task.createdAt()));
    }
    StringBuilder yaml = new StringBuilder();
    meta.forEach((key, value) -> yaml.append(key).append(':').append(value).append('\n'));
    Files.writeString(directory.resolve("task.yaml"), yaml.toString());
    Files.writeString(directory.resolve("tests.json"), testsJson(task));
    Files.writeString(directory.resolve("problem_statement.md"), task.problemStatement());
    if (!task.hintsText().isEmpty()) {
      Files.writeString(directory.resolve("hints.md"), task.hintsText());
    }
    Files.writeString(directory.resolve("gold.patch"), task.patch());
    Files.writeString(directory.resolve("test.patch"), task.testPatch());
    Files.writeString(directory.resolve("eval.sh"), evalScript(task));
    Files.writeString(directory.resolve("Dockerfile"), dockerfile(task));
    Git.run(repository, "bundle", "create", directory.resolve("repo.bundle").toAbsolutePath().toString(), "--all");
  }

  /** {@code tests.json} as the official tools write it ({@code json.dumps(indent=2)} and a newline). */
  private static String testsJson(TaskInstance task) {
    return "{\n  \"FAIL_TO_PASS\": " + jsonList(task.failToPass()) + ",\n  \"PASS_TO_PASS\": " + jsonList(task.passToPass()) + "\n}\n";
  }

  private static String jsonList(List<String> ids) {
    if (ids.isEmpty()) {
      return "[]";
    }
    return "[\n" + String.join(",\n", ids.stream().map(id -> "    " + quoted(id)).toList()) + "\n  ]";
  }

  private static String dockerfile(TaskInstance task) {
    String base = task.image() == null ? SandboxSpec.DEFAULT_IMAGE : task.image();
    return "FROM " + base + "\n"
        + "USER root\n"
        + "COPY repo.bundle /tmp/repo.bundle\n"
        + "RUN git clone -q /tmp/repo.bundle /testbed && git -C /testbed checkout -q " + task.baseCommit()
        + " && rm /tmp/repo.bundle\n"
        + "WORKDIR /testbed\n";
  }

  private static String officialParser(String parser) {
    if (parser.startsWith("parse_log_")) {
      return parser;
    }
    return OFFICIAL_PARSERS.get(parser);
  }

  private static Path repository(TaskInstance task, Path repositories) {
    return repositories.resolve(task.repo().replace("/", "__"));
  }

  /** The files a diff touches, before and after, in order. */
  static Set<String> touchedFiles(String diff) {
    Set<String> files = new LinkedHashSet<>();
    Matcher header = DIFF_HEADER.matcher(diff);
    while (header.find()) {
      files.add(header.group(1));
      files.add(header.group(2));
    }
    return files;
  }

  /** A here-document delimiter that no line of {@code text} equals. */
  private static String heredocDelimiter(String text) {
    String delimiter = "EOF_CRUCIBLE_TEST_PATCH";
    while (text.lines().anyMatch(delimiter::equals)) {
      delimiter += "_";
    }
    return delimiter;
  }

  /** {@code word} quoted for bash when it holds anything but safe path characters. */
  private static String shellWord(String word) {
    return word.matches("[A-Za-z0-9_./+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * {@code value} as a JSON string, which is also a double-quoted YAML scalar: no implicit typing turns
   * {@code 1.0} into a number.
   */
  private static String quoted(String value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
