package dev.crucible.reward.grading;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a model patch must not change, because the grading depends on them: before the tests run
 * they are put back exactly as the base commit and the task's {@code test_patch} make them, whatever
 * the patch did (changed, deleted, added, replaced with a link).
 *
 * <ul>
 *   <li>every file holding a FAIL_TO_PASS or PASS_TO_PASS test, and every file {@code test_patch} touches;
 *   <li>the test runner's configuration and hooks, at any depth: {@code conftest.py}, {@code pytest.ini},
 *       {@code .pytest.ini}, {@code tox.ini}, {@code setup.cfg}, {@code pyproject.toml}, {@code sitecustomize.py},
 *       {@code usercustomize.py} and {@code .pth} files;
 *   <li>everything in package metadata folders ({@code *.dist-info}, {@code *.egg-info}): their entry points
 *       load pytest plugins from the repository's root;
 *   <li>beyond what the SWE-bench harness restores, as defence in depth: every test module
 *       ({@code test_*.py}, {@code *_test.py}) and everything under a {@code tests}, {@code test} or
 *       {@code testing} folder, so a patch cannot reach the graded tests through a helper they import.
 * </ul>
 */
public final class ProtectedFiles {
  /** Names of the runner's configuration and start-up hooks. */
  public static final List<String> RUNNER_FILES =
      List.of("conftest.py", "pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "sitecustomize.py", "usercustomize.py");
  /** Endings of package metadata folders, whose entry points ({@code pytest11}) load plugins. */
  public static final List<String> METADATA_FOLDERS = List.of(".dist-info", ".egg-info");
  /** Folders whose whole content is test code. */
  public static final List<String> TEST_FOLDERS = List.of("tests", "test", "testing");

  private static final Pattern DIFF_FILE = Pattern.compile("^(?:\\+\\+\\+|---) (?:[ab]/)?(.+?)(?:\\t.*)?$");

  private ProtectedFiles() {}

  /** Whether {@code path} (relative, {@code /}-separated) is protected by its name or folder. */
  public static boolean byName(String path) {
    String[] parts = path.split("/");
    String name = parts[parts.length - 1];
    if (RUNNER_FILES.contains(name) || name.endsWith(".pth") || isTestModule(name)) {
      return true;
    }
    for (int i = 0; i < parts.length - 1; i++) {
      if (TEST_FOLDERS.contains(parts[i]) || METADATA_FOLDERS.stream().anyMatch(parts[i]::endsWith)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The files named by the graded tests (pytest ids {@code path.py::name}; ids of other runners name
   * no file) and by the task's {@code test_patch}.
   */
  public static Set<String> ofTask(List<String> failToPass, List<String> passToPass, String testPatch) {
    Set<String> files = new LinkedHashSet<>();
    for (List<String> tests : List.of(failToPass, passToPass)) {
      for (String test : tests) {
        int separator = test.indexOf("::");
        if (separator > 0 && test.substring(0, separator).endsWith(".py")) {
          files.add(test.substring(0, separator));
        }
      }
    }
    for (String line : testPatch.split("\n")) {
      Matcher file = DIFF_FILE.matcher(line);
      if (file.matches() && !file.group(1).equals("/dev/null")) {
        files.add(file.group(1));
      }
    }
    return files;
  }

  /**
   * A {@code find(1)} test, for a search from the workdir ({@code find . …}), that holds exactly for
   * the paths {@link #byName} protects.
   */
  public static String findTest() {
    StringBuilder test = new StringBuilder("\\( ");
    for (String name : RUNNER_FILES) {
      test.append("-name '").append(name).append("' -o ");
    }
    test.append("-name '*.pth' -o -name 'test_*.py' -o -name '*_test.py'");
    for (String folder : TEST_FOLDERS) {
      test.append(" -o -path '*/").append(folder).append("/*'");
    }
    for (String ending : METADATA_FOLDERS) {
      test.append(" -o -path '*").append(ending).append("/*'");
    }
    return test.append(" \\)").toString();
  }

  private static boolean isTestModule(String name) {
    return name.endsWith(".py") && (name.startsWith("test_") || name.endsWith("_test.py"));
  }
}
