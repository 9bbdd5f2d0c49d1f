package dev.crucible.rollout.evaluation;

import dev.crucible.data.TaskInstance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A git repository built from the {@code eval-fixture} resource: the correct library, then a commit
 * that plants a bug in {@code count_words}. The task starts at the bug; its gold patch restores the fix.
 */
public final class EvaluationFixture {
  public static final String BUGGY_LINE = "    return len(text.split(\" \"))";
  public static final List<String> FAIL_TO_PASS =
      List.of("tests/test_words.py::test_count_words", "tests/test_words.py::test_count_empty");
  public static final List<String> PASS_TO_PASS =
      List.of("tests/test_words.py::test_shout", "tests/test_words.py::test_initials");

  public final Path repository;
  public final TaskInstance task;
  public final String goldPatch;

  private EvaluationFixture(Path repository, TaskInstance task, String goldPatch) {
    this.repository = repository;
    this.task = task;
    this.goldPatch = goldPatch;
  }

  public static EvaluationFixture create(Path repository) throws IOException, InterruptedException {
    for (String file : List.of("textops/__init__.py", "textops/words.py", "tests/test_words.py")) {
      Path target = repository.resolve(file);
      Files.createDirectories(target.getParent());
      try (InputStream in = EvaluationFixture.class.getResourceAsStream("/eval-fixture/" + file)) {
        Files.write(target, in.readAllBytes());
      }
    }
    git(repository, "init", "-q");
    git(repository, "add", "-A");
    git(repository, "commit", "-q", "-m", "correct");
    String fixed = git(repository, "rev-parse", "HEAD").strip();
    Path words = repository.resolve("textops/words.py");
    Files.writeString(words, Files.readString(words).replace("    return len(text.split())", BUGGY_LINE));
    git(repository, "commit", "-q", "-am", "bug");
    String buggy = git(repository, "rev-parse", "HEAD").strip();
    String gold = git(repository, "diff", buggy, fixed);
    TaskInstance task =
        new TaskInstance(
            "fixture__textops-1", "fixture/textops", buggy, "count_words miscounts repeated spaces", "", gold, "",
            FAIL_TO_PASS, PASS_TO_PASS, "0.1", null, null, null, "python3 -m pytest -rA -p no:cacheprovider", "pytest");
    return new EvaluationFixture(repository, task, gold);
  }

  public static String git(Path directory, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString(), "-c", "user.name=t", "-c", "user.email=t@localhost"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("git " + String.join(" ", arguments) + ": " + output);
    }
    return output;
  }
}
