package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FixHintTest {
  @Test
  void theEditsReadBackAreTheEditsRendered() {
    List<PatchHunk> edits = List.of(
        new PatchHunk("kit/a.py", "    return x - 1\n", "    return x + 1\n", null),
        new PatchHunk("kit/b.py", "if a:\n    pass\n", "if not a:\n    pass\n", null));
    String statement = "Some tests fail.\n\nHint: the bug is at line 3 of kit/a.py.\n" + FixHint.render(edits);
    assertThat(FixHint.read(statement)).isEqualTo(edits);
  }

  @Test
  void codeHoldingAFenceOfItsOwnReadsBackWhole() {
    List<PatchHunk> edits = List.of(new PatchHunk("kit/doc.py", "    ```\n    x = 1\n    ```\n", "```\nx = 2\n````\n", null));
    assertThat(FixHint.read(FixHint.render(edits))).isEqualTo(edits);
  }

  @Test
  void aStatementWithoutAFixHintHasNoEdits() {
    assertThat(FixHint.read("Some tests fail.\nHint: the bug is in kit/a.py.\n")).isEmpty();
  }
}
