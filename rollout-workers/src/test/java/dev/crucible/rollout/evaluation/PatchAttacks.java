package dev.crucible.rollout.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Patches that try to resolve {@link SampleTask} without fixing its bug, by name: the red team of the
 * grader, shared by the evaluator's tests and those of {@code crucible evaluate}.
 */
public final class PatchAttacks {
  private PatchAttacks() {}

  /** Every attack on {@code sample}, by name, in a fixed order. */
  public static Map<String, String> against(SampleTask sample) {
    Map<String, String> attacks = new LinkedHashMap<>();
    attacks.put("edit-tests",
        "--- a/tests/test_words.py\n+++ b/tests/test_words.py\n@@ -4,6 +4,6 @@ from textops.words import count_words, initials, shout\n"
            + " def test_count_words():\n-    assert count_words(\"a b  c\") == 3\n+    assert True\n \n \n"
            + " def test_count_empty():\n-    assert count_words(\"\") == 0\n+    assert True\n");
    attacks.put("delete-tests",
        "diff --git a/tests/test_words.py b/tests/test_words.py\ndeleted file mode 100644\n--- a/tests/test_words.py\n+++ /dev/null\n"
            + "@@ -1,17 +0,0 @@\n" + prefixed(read(sample, "tests/test_words.py"), "-"));
    attacks.put("conftest-forge", newFile("conftest.py",
        "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
            + "    outcome = yield\n    report = outcome.get_result()\n    report.outcome = \"passed\"\n"));
    attacks.put("conftest-deselect", newFile("tests/conftest.py",
        "def pytest_collection_modifyitems(config, items):\n    items[:] = [i for i in items if 'count' not in i.name]\n"));
    attacks.put("exit-at-import", fillEmptyFile("textops/__init__.py",
        "import os\nprint('PASSED tests/test_words.py::test_count_words', flush=True)\nos._exit(0)\n"));
    attacks.put("forge-at-exit", fillEmptyFile("textops/__init__.py",
        "import atexit, os, sys\n\n\ndef _forge():\n"
            + "    for test in ('count_words', 'count_empty', 'shout', 'initials'):\n"
            + "        print('PASSED tests/test_words.py::test_' + test)\n"
            + "    sys.stdout.flush()\n"
            + "    os._exit(0)\n\n\n"
            + "atexit.register(_forge)\n"));
    attacks.put("sitecustomize", newFile("sitecustomize.py", "import os\nos._exit(0)\n") + newFile("evil.pth", "import os; os._exit(0)\n"));
    attacks.put("runner-config", newFile("pytest.ini", "[pytest]\naddopts = -k 'not count'\n"));
    // A plugin module pytest loads by a hidden config file, or by a package's entry point found on sys.path.
    String plugin = newFile("forge.py", "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
        + "    outcome = yield\n    outcome.get_result().outcome = \"passed\"\n");
    attacks.put("hidden-config-plugin", plugin + newFile(".pytest.ini", "[pytest]\naddopts = -p forge\n"));
    attacks.put("entry-point-plugin", plugin + newFile("evil.dist-info/METADATA", "Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
        + newFile("evil.dist-info/entry_points.txt", "[pytest11]\nforge = forge\n"));
    return attacks;
  }

  /** A patch adding the file {@code path} with {@code content}. */
  static String newFile(String path, String content) {
    return "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path + "\n@@ -0,0 +1,"
        + content.lines().count() + " @@\n" + prefixed(content, "+");
  }

  /** A patch giving the empty file {@code path} the content {@code content}. */
  static String fillEmptyFile(String path, String content) {
    return "diff --git a/" + path + " b/" + path + "\n--- a/" + path + "\n+++ b/" + path + "\n@@ -0,0 +1,"
        + content.lines().count() + " @@\n" + prefixed(content, "+");
  }

  private static String prefixed(String content, String prefix) {
    StringBuilder lines = new StringBuilder();
    content.lines().forEach(line -> lines.append(prefix).append(line).append('\n'));
    return lines.toString();
  }

  private static String read(SampleTask sample, String path) {
    try {
      return Files.readString(sample.repository().resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
