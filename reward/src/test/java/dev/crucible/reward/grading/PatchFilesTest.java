package dev.crucible.reward.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class PatchFilesTest {
  private static final Predicate<String> PROTECTED = path -> ProtectedFiles.byName(path) || path.equals("src/graded.py");

  private static final String SOURCE =
      "diff --git a/src/app.py b/src/app.py\n"
          + "index 1111111..2222222 100644\n"
          + "--- a/src/app.py\n"
          + "+++ b/src/app.py\n"
          + "@@ -1,2 +1,2 @@\n"
          + " def f():\n"
          + "-    return 1\n"
          + "+    return 2\n";
  private static final String CONFTEST =
      "diff --git a/conftest.py b/conftest.py\n"
          + "new file mode 100644\n"
          + "index 0000000..3333333\n"
          + "--- /dev/null\n"
          + "+++ b/conftest.py\n"
          + "@@ -0,0 +1 @@\n"
          + "+import os\n";

  private static PatchFiles.Kept kept(String patch) {
    return PatchFiles.without(patch, PROTECTED).orElseThrow();
  }

  @Test
  void aProtectedFileSectionIsLeftOutAndTheRestKeptByteForByte() {
    PatchFiles.Kept before = kept(CONFTEST + SOURCE);
    assertThat(before.patch()).isEqualTo(SOURCE);
    assertThat(before.dropped()).containsExactly("conftest.py");

    PatchFiles.Kept after = kept(SOURCE + CONFTEST);
    assertThat(after.patch()).isEqualTo(SOURCE);
    assertThat(kept(SOURCE).patch()).isEqualTo(SOURCE);
    assertThat(kept(SOURCE).dropped()).isEmpty();
  }

  @Test
  void aSecondFileSmuggledAfterAHunkCountsAsThatFile() {
    // git apply and patch both read a ---/+++ pair after a finished hunk as a new, traditional patch.
    String smuggled = SOURCE + "--- a/tests/test_app.py\n+++ b/tests/test_app.py\n@@ -1 +1 @@\n-assert f() == 2\n+assert True\n";
    PatchFiles.Kept result = kept(smuggled);
    assertThat(result.patch()).isEmpty();
    assertThat(result.dropped()).containsExactly("tests/test_app.py");
  }

  @Test
  void linesInsideAHunkThatLookLikeHeadersAreContentNotNames() {
    // The hunk removes the line "-- a/conftest.py" and adds "++ b/conftest.py": its counts say both are content.
    String content = "diff --git a/notes.txt b/notes.txt\n--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,2 @@\n keep\n"
        + "--- a/conftest.py\n+++ b/conftest.py\n";
    assertThat(kept(content).patch()).isEqualTo(content);
  }

  @Test
  void quotedNamesAreDecodedAndEverySplitOfAPlainHeaderCounts() {
    String quoted = "diff --git \"a/t\\303\\251st/conftest.py\" \"b/t\\303\\251st/conftest.py\"\nnew file mode 100644\n"
        + "--- /dev/null\n+++ \"b/t\\303\\251st/conftest.py\"\n@@ -0,0 +1 @@\n+x = 1\n";
    assertThat(kept(quoted).dropped()).containsExactly("tést/conftest.py");

    // A header alone (a mode change has no ---/+++ lines) naming src/graded.py behind a name holding " b/".
    String ambiguous = "diff --git a/x b/src/graded.py b/x b/src/graded.py\nold mode 100644\nnew mode 100755\n";
    assertThat(PatchFiles.names(List.of(ambiguous.split("\n")))).contains("x", "src/graded.py b/x b/src/graded.py", "x b/src/graded.py");
    assertThat(kept(ambiguous).dropped()).isNotEmpty();
  }

  @Test
  void renamesBinaryFilesAndModeChangesAreSectionsToo() {
    String rename = "diff --git a/tests/test_app.py b/src/moved.py\nsimilarity index 100%\nrename from tests/test_app.py\nrename to src/moved.py\n";
    assertThat(kept(rename + SOURCE).patch()).isEqualTo(SOURCE);
    assertThat(kept(rename).dropped()).containsExactly("tests/test_app.py");

    String binary = "diff --git a/data/blob.bin b/data/blob.bin\nnew file mode 100644\nindex 0000000..e69de29\nGIT binary patch\n"
        + "literal 3\nKcmZ?wWB>pF01yBG\n\nliteral 0\nHcmV?d00001\n\n";
    assertThat(kept(binary + CONFTEST).patch()).isEqualTo(binary);
  }

  @Test
  void aPatchThatIsNotAGitDiffIsRefused() {
    assertThat(PatchFiles.without("--- a/src/app.py\n+++ b/src/app.py\n@@ -1 +1 @@\n-a\n+b\n", PROTECTED)).isEmpty();
    assertThat(PatchFiles.without("junk\n" + SOURCE, PROTECTED)).isEmpty();
    assertThat(PatchFiles.without("\n" + SOURCE, PROTECTED)).isPresent();
  }
}
