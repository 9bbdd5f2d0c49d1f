package dev.crucible.reward.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtectedFilesTest {
  private static final List<String> PATHS =
      List.of(
          "conftest.py", "pkg/conftest.py", "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "sitecustomize.py",
          "deep/usercustomize.py", "site/evil.pth", "test_top.py", "pkg/core_test.py", "tests/helpers.py", "tests/data/x.json",
          "pkg/test/util.py", "testing/fixtures.py", "pkg/core.py", "pkg/testing.py", "pkg/contest.py", "README.md",
          "tests_data.py", "pkg/latest/tests.py", "docs/test.md", ".pytest.ini", "evil.dist-info/entry_points.txt",
          "src/pkg.egg-info/entry_points.txt", "dist-info.py", "pkg/egg-info/x.py");

  @Test
  void protectsRunnerFilesTestModulesAndTestFolders() {
    assertThat(PATHS.stream().filter(ProtectedFiles::byName))
        .containsExactly(
            "conftest.py", "pkg/conftest.py", "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "sitecustomize.py",
            "deep/usercustomize.py", "site/evil.pth", "test_top.py", "pkg/core_test.py", "tests/helpers.py",
            "tests/data/x.json", "pkg/test/util.py", "testing/fixtures.py", ".pytest.ini", "evil.dist-info/entry_points.txt",
            "src/pkg.egg-info/entry_points.txt");
  }

  @Test
  void theFindTestSelectsExactlyWhatByNameDoes(@TempDir Path root) throws Exception {
    for (String path : PATHS) {
      Files.createDirectories(root.resolve(path).getParent());
      Files.writeString(root.resolve(path), "x");
    }
    Process find =
        new ProcessBuilder("sh", "-c", "find . -type f " + ProtectedFiles.findTest() + " -print")
            .directory(root.toFile())
            .start();
    String output = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(find.waitFor()).isZero();
    Set<String> found = output.lines().map(line -> line.substring(2)).collect(Collectors.toSet());
    assertThat(found).isEqualTo(PATHS.stream().filter(ProtectedFiles::byName).collect(Collectors.toSet()));
  }

  @Test
  void namesTheFilesOfTheGradedTestsAndOfTheTestPatch() {
    String testPatch =
        "diff --git a/tests/test_new.py b/tests/test_new.py\nnew file mode 100644\n--- /dev/null\n+++ b/tests/test_new.py\n"
            + "@@ -0,0 +1 @@\n+def test_x(): pass\n"
            + "diff --git a/data/fixture.txt b/data/fixture.txt\n--- a/data/fixture.txt\n+++ b/data/fixture.txt\n@@ -1 +1 @@\n-a\n+b\n";
    assertThat(
            ProtectedFiles.ofTask(
                List.of("calc/check_add.py::test_add[1-2]", "calc/check_add.py::TestAdd::test_zero"),
                List.of("test_sub (calc.tests.SubTest)", "other/spec.py::test_spec"),
                testPatch))
        .containsExactly("calc/check_add.py", "other/spec.py", "tests/test_new.py", "data/fixture.txt");
  }
}
