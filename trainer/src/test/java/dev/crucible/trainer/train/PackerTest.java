package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.trainer.chat.ChatTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackerTest {

  @Test
  void anItemsSequencesShareARowAsSeparateSegments() {
    // [1 2 3] fills positions 0-1 (segment 1), [4 5] position 2 (segment 2); positions restart per segment.
    Packer packer = new Packer(5);
    PackedRow row = packer.together(List.of(tokens(new long[] {1, 2, 3}, false, true, true), tokens(new long[] {4, 5}, false, true)));
    assertThat(row.inputs()).containsExactly(1, 2, 4, 0, 0);
    assertThat(row.targets()).containsExactly(2, 3, 5, 0, 0);
    assertThat(row.lossMask()).containsExactly(true, true, true, false, false);
    assertThat(row.segments()).containsExactly(1, 1, 2, 0, 0);
    assertThat(row.positions()[0]).isZero();
    assertThat(row.positions()[2]).isZero();
    assertThat(packer.truncated()).isZero();
  }

  @Test
  void whatDoesNotFitTheRowIsCutAndCounted() {
    // Room for 3 positions: [1 2 3] takes 2; [4 5 6] keeps [4 5] (1 position); [7 8] has no room left: 2 cut.
    Packer packer = new Packer(3);
    PackedRow row = packer.together(List.of(
        tokens(new long[] {1, 2, 3}, false, true, true), tokens(new long[] {4, 5, 6}, false, true, true), tokens(new long[] {7, 8}, false, true)));
    assertThat(row.inputs()).containsExactly(1, 2, 4);
    assertThat(row.targets()).containsExactly(2, 3, 5);
    assertThat(row.segments()).containsExactly(1, 1, 2);
    assertThat(packer.truncated()).isEqualTo(2);
  }

  @Test
  void aSequenceCutBeforeItsFirstAssistantTokenIsLeftOutAndCounted() {
    // Rows of 3 positions keep 4 tokens: [1 2 3 4 | 5] loses its only assistant token 5; [6 7 8] keeps 8 as a target;
    // [9 10] has its assistant token only at position 0, which is never a target.
    Packer packer = new Packer(3);
    List<PackedRow> rows = packer.pack(List.of(tokens(new long[] {1, 2, 3, 4, 5}, false, false, false, false, true),
        tokens(new long[] {6, 7, 8}, false, false, true), tokens(new long[] {9, 10}, true, false)));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).inputs()).containsExactly(6, 7, 0);
    assertThat(rows.get(0).lossMask()).containsExactly(false, true, false);
    assertThat(packer.withoutTargets()).isEqualTo(2);
    assertThat(packer.truncated()).isEqualTo(1);
  }

  private static ChatTemplate.Tokens tokens(long[] ids, boolean... mask) {
    return new ChatTemplate.Tokens(ids, mask);
  }
}
