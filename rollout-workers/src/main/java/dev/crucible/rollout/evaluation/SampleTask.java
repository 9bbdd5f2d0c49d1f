package dev.crucible.rollout.evaluation;

import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small task with a known answer, for benchmarks and tests: a Python library with a pytest suite,
 * built as a git repository whose last commit plants a bug in {@code count_words}. The task starts at
 * that commit; its gold patch restores the correct code.
 */
public final class SampleTask {
  public static final String BUGGY_LINE = "    return len(text.split(\" \"))";
  public static final List<String> FAIL_TO_PASS =
      List.of("tests/test_words.py::test_count_words", "tests/test_words.py::test_count_empty");
  public static final List<String> PASS_TO_PASS =
      List.of("tests/test_words.py::test_shout", "tests/test_words.py::test_initials");
  public static final String TEST_COMMAND = "python3 -m pytest -rA -p no:cacheprovider";

  private static final String WORDS =
      """
      def count_words(text):
          return len(text.split())


      def shout(text):
          return text.upper() + "!"


      def initials(name):
          return "".join(part[0] for part in name.split())
      """;
  private static final String TESTS =
      """
      from textops.words import count_words, initials, shout


      def test_count_words():
          assert count_words("a b  c") == 3


      def test_count_empty():
          assert count_words("") == 0


      def test_shout():
          assert shout("hi") == "HI!"


      def test_initials():
          assert initials("Ada Lovelace") == "AL"
      """;

  private final Path repository;
  private final String baseCommit;
  private final String goldPatch;

  private SampleTask(Path repository, String baseCommit, String goldPatch) {
    this.repository = repository;
    this.baseCommit = baseCommit;
    this.goldPatch = goldPatch;
  }

  /** Builds the repository in {@code repository}, which must not exist or be empty. */
  public static SampleTask create(Path repository) {
    try {
      Files.createDirectories(repository.resolve("textops"));
      Files.createDirectories(repository.resolve("tests"));
      Files.writeString(repository.resolve("textops/__init__.py"), "");
      Files.writeString(repository.resolve("textops/words.py"), WORDS);
      Files.writeString(repository.resolve("tests/test_words.py"), TESTS);
      Git.run(repository, "init", "-q");
      Git.run(repository, "add", "-A");
      Git.run(repository, "commit", "-q", "-m", "correct");
      String fixed = Git.run(repository, "rev-parse", "HEAD").strip();
      Files.writeString(repository.resolve("textops/words.py"), WORDS.replace("    return len(text.split())", BUGGY_LINE));
      Git.run(repository, "commit", "-q", "-am", "bug");
      String buggy = Git.run(repository, "rev-parse", "HEAD").strip();
      return new SampleTask(repository, buggy, Git.run(repository, "diff", buggy, fixed));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the sample repository in " + repository, e);
    }
  }

  public Path repository() {
    return repository;
  }

  public String goldPatch() {
    return goldPatch;
  }

  /** The task, named {@code instanceId}, with the default sandbox image, pytest and its parser. */
  public TaskInstance task(String instanceId, String repoName) {
    return new TaskInstance(
        instanceId, repoName, baseCommit, "count_words miscounts text with repeated spaces", "", goldPatch, "",
        FAIL_TO_PASS, PASS_TO_PASS, "0.1", null, null, SandboxSpec.DEFAULT_IMAGE, TEST_COMMAND, "pytest");
  }
}
