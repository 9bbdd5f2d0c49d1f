package dev.crucible.rollout.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The units of a real repository, listed by Python's ast in a real Docker sandbox. */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class UnitExtractorTest {
  @TempDir Path temp;

  @Test
  void everyFileAndFunctionOfTheSnapshotWithLinesSignaturesAndDocstrings() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    Path repository = sample.repository();
    Files.writeString(repository.resolve("textops/shapes.py"), """
        \"\"\"Shapes.\"\"\"


        class Circle:
            \"\"\"A circle.\"\"\"

            @property
            def area(self):
                \"\"\"The area, pi r squared.\"\"\"
                return 3.14 * self.r ** 2

            def scaled(self, factor: float,
                       *, keep: bool = False) -> "Circle": return Circle()


        def broken_helper():
            def inner(): pass
            return inner
        """);
    Files.writeString(repository.resolve("legacy.py"), "print 'python 2'\n");
    Git.run(repository, "add", "-A");
    Git.run(repository, "commit", "-q", "-m", "more");
    String head = Git.run(repository, "rev-parse", "HEAD").strip();

    List<CodeUnit> units;
    try (Sandbox sandbox = DockerSandbox.create(DockerTestSupport.client(),
        SandboxSpec.builder().repository(repository).baseCommit(head).taskId("units").build())) {
      units = UnitExtractor.extract(sandbox);
    }

    assertThat(units).filteredOn(unit -> unit.kind() == UnitKind.FILE).extracting(CodeUnit::path)
        .containsExactly("legacy.py", "tests/test_words.py", "textops/__init__.py", "textops/shapes.py", "textops/words.py");
    assertThat(units).filteredOn(unit -> unit.path().equals("textops/shapes.py") && unit.kind() == UnitKind.FUNCTION)
        .extracting(unit -> unit.name() + " " + unit.startLine() + "-" + unit.endLine() + " " + unit.signature() + " | " + unit.docstring())
        .containsExactly(
            "Circle.area 7-10 def area(self): | The area, pi r squared.",
            "Circle.scaled 12-13 def scaled(self, factor: float, *, keep: bool = False) -> \"Circle\": | ",
            "broken_helper 16-18 def broken_helper(): | ",
            "broken_helper.inner 17-17 def inner(): | ");
    assertThat(units).filteredOn(unit -> unit.path().equals("textops/shapes.py") && unit.kind() == UnitKind.FILE)
        .singleElement().satisfies(file -> assertThat(file.docstring()).isEqualTo("Shapes."));
    assertThat(units).filteredOn(unit -> unit.path().equals("legacy.py")).as("no syntax tree: the file alone").hasSize(1);
    assertThat(units).filteredOn(unit -> unit.kind() == UnitKind.FUNCTION && unit.path().equals("textops/words.py"))
        .extracting(CodeUnit::name).containsExactly("count_words", "shout", "initials");
  }

  @Test
  void pagesThatOverflowTheOutputLimitAreAskedForAgainSmaller() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    Path repository = sample.repository();
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      big.append("def f").append(i).append("():\n    return '").append("x".repeat(60)).append("'\n\n");
    }
    for (int file = 0; file < 6; file++) {
      Files.writeString(repository.resolve("big" + file + ".py"), big);
    }
    Git.run(repository, "add", "-A");
    Git.run(repository, "commit", "-q", "-m", "big");
    String head = Git.run(repository, "rev-parse", "HEAD").strip();

    List<CodeUnit> units;
    // 64 KiB of output per command: a file's 200 functions take about 45 KiB, so two files never fit.
    try (Sandbox sandbox = DockerSandbox.create(DockerTestSupport.client(),
        SandboxSpec.builder().repository(repository).baseCommit(head).taskId("units-pages").outputLimitBytes(64 << 10).build())) {
      units = UnitExtractor.extract(sandbox);
    }
    for (int file = 0; file < 6; file++) {
      String path = "big" + file + ".py";
      assertThat(units).filteredOn(unit -> unit.path().equals(path) && unit.kind() == UnitKind.FUNCTION).hasSize(200);
    }
    assertThat(units).filteredOn(unit -> unit.kind() == UnitKind.FILE).hasSize(9);
  }
}
