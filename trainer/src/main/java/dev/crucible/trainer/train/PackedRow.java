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
