package dev.crucible.trainer.train;

/**
 * One training row of {@code length} positions: the input tokens, the token each position must predict,
 * whether that prediction counts in the loss, and the sequence each position belongs to (0 = padding).
 */
public record PackedRow(long[] inputs, long[] targets, boolean[] lossMask, int[] segments, long[] positions) {

  public int length() {
    return inputs.length;
  }

  /** Positions that count in the loss. */
  /** Whether {@code other} holds the same tokens, targets and mask: a DPO pair of two such rows has no gradient. */
  public boolean sameAs(PackedRow other) {
    return java.util.Arrays.equals(inputs, other.inputs) && java.util.Arrays.equals(targets, other.targets)
        && java.util.Arrays.equals(lossMask, other.lossMask) && java.util.Arrays.equals(segments, other.segments);
  }

  public int lossTokens() {
    int n = 0;
    for (boolean counted : lossMask) {
      n += counted ? 1 : 0;
    }
    return n;
  }

  /** Positions holding real tokens. */
  public int realTokens() {
    int n = 0;
    for (int segment : segments) {
      n += segment == 0 ? 0 : 1;
    }
    return n;
  }
}
