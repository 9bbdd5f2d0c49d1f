package dev.crucible.jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Python library with a pytest suite and one planted bug, built as a git repository for
 * benchmarks that need a task: the correct code, then a commit with the bug. The gold patch restores it.
 */
final class BenchRepository {
  static final List<String> FAIL_TO_PASS = List.of("tests/test_words.py::test_count_words", "tests/test_words.py::test_count_empty");
  static final List<String> PASS_TO_PASS = List.of("tests/test_words.py::test_shout", "tests/test_words.py::test_initials");

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

  final Path directory;
  final String baseCommit;
  final String goldPatch;

  private BenchRepository(Path directory, String baseCommit, String goldPatch) {
    this.directory = directory;
    this.baseCommit = baseCommit;
    this.goldPatch = goldPatch;
  }

  static BenchRepository create(Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory.resolve("textops"));
    Files.createDirectories(directory.resolve("tests"));
    Files.writeString(directory.resolve("textops/__init__.py"), "");
    Files.writeString(directory.resolve("textops/words.py"), WORDS);
    Files.writeString(directory.resolve("tests/test_words.py"), TESTS);
    git(directory, "init", "-q");
    git(directory, "add", "-A");
    git(directory, "commit", "-q", "-m", "correct");
    String fixed = git(directory, "rev-parse", "HEAD").strip();
    Files.writeString(directory.resolve("textops/words.py"), WORDS.replace("text.split())", "text.split(\" \"))"));
    git(directory, "commit", "-q", "-am", "bug");
    String buggy = git(directory, "rev-parse", "HEAD").strip();
    return new BenchRepository(directory, buggy, git(directory, "diff", buggy, fixed));
  }

  private static String git(Path directory, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString(), "-c", "user.name=bench", "-c", "user.email=bench@localhost"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("git " + String.join(" ", arguments) + " failed: " + output);
    }
    return output;
  }
}
