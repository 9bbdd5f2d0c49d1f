package dev.crucible.trainer.train;

import dev.crucible.trainer.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs tokenized conversations into rows of a fixed length, first fit in order, so little of each row is
 * padding. A conversation longer than a row keeps its first {@code length + 1} tokens; {@link #truncated()}
 * counts them so the caller can report it. One cut before its first assistant token would add rows that
 * teach nothing (steps with loss 0): {@link #pack} leaves it out and {@link #withoutTargets()} counts it.
 */
public final class Packer {
  private final int length;
  private int truncated;
  private int withoutTargets;

  public Packer(int length) {
    if (length < 2) {
      throw new IllegalArgumentException("a row needs at least 2 positions, not " + length);
    }
    this.length = length;
  }

  public int truncated() {
    return truncated;
  }

  /** Sequences {@link #pack} left out: nothing of what fits a row is a target to learn. */
  public int withoutTargets() {
    return withoutTargets;
  }

  public List<PackedRow> pack(List<ChatTemplate.Tokens> sequences) {
    List<RowBuilder> rows = new ArrayList<>();
    for (ChatTemplate.Tokens sequence : sequences) {
      ChatTemplate.Tokens fitted = fit(sequence);
      if (fitted.length() < 2) {
        continue;
      }
      if (!hasTargets(fitted)) {
        withoutTargets++;
        continue;
      }
      RowBuilder target = null;
      for (RowBuilder row : rows) {
        if (row.room() >= fitted.length() - 1) {
          target = row;
          break;
        }
      }
      if (target == null) {
        target = new RowBuilder(length);
        rows.add(target);
      }
      target.add(fitted);
    }
    return rows.stream().map(RowBuilder::build).toList();
  }

  /** A single sequence as its own row, padded: for scoring one response at a time. */
  public PackedRow single(ChatTemplate.Tokens sequence) {
    RowBuilder row = new RowBuilder(length);
    row.add(fit(sequence));
    return row.build();
  }

  /**
   * The sequences of one item (an episode's conversations) in one padded row, each its own segment, so a
   * sequence attends only to itself, as the policy saw it; a sequence that does not fit is cut, or left
   * out when no room is left, and counted in {@link #truncated()} either way.
   */
  public PackedRow together(List<ChatTemplate.Tokens> sequences) {
    RowBuilder row = new RowBuilder(length);
    for (ChatTemplate.Tokens sequence : sequences) {
      ChatTemplate.Tokens fitted = cut(sequence, row.room() + 1);
      if (fitted.length() >= 2) {
        row.add(fitted);
      }
    }
    return row.build();
  }

  /** Whether a target (a token after the first) is an assistant token. */
  private static boolean hasTargets(ChatTemplate.Tokens sequence) {
    for (int i = 1; i < sequence.length(); i++) {
      if (sequence.assistant()[i]) {
        return true;
      }
    }
    return false;
  }

  private ChatTemplate.Tokens fit(ChatTemplate.Tokens sequence) {
    return cut(sequence, length + 1);
  }

  /** The first {@code tokens} of {@code sequence}, counted as truncated when that is not all of it. */
  private ChatTemplate.Tokens cut(ChatTemplate.Tokens sequence, int tokens) {
    if (sequence.length() <= tokens) {
      return sequence;
    }
    truncated++;
    return new ChatTemplate.Tokens(
        java.util.Arrays.copyOf(sequence.ids(), tokens), java.util.Arrays.copyOf(sequence.assistant(), tokens));
  }

  /** A sequence of n tokens fills n - 1 positions: each predicts the next. */
  private static final class RowBuilder {
    private final long[] inputs;
    private final long[] targets;
    private final boolean[] mask;
    private final int[] segments;
    private final long[] positions;
    private int used;
    private int segmentCount;

    RowBuilder(int length) {
      inputs = new long[length];
      targets = new long[length];
      mask = new boolean[length];
      segments = new int[length];
      positions = new long[length];
    }

    int room() {
      return inputs.length - used;
    }

    void add(ChatTemplate.Tokens sequence) {
      segmentCount++;
      long[] ids = sequence.ids();
      for (int i = 0; i + 1 < ids.length; i++) {
        inputs[used] = ids[i];
        targets[used] = ids[i + 1];
        mask[used] = sequence.assistant()[i + 1];
        segments[used] = segmentCount;
        positions[used] = i;
        used++;
      }
    }

    PackedRow build() {
      for (int i = used; i < inputs.length; i++) {
        positions[i] = i - used; // Padding: masked out of the loss and attends only to itself.
      }
      return new PackedRow(inputs, targets, mask, segments, positions);
    }
  }
}
