package dev.crucible.trainer.rl;

import ai.djl.ndarray.NDArray;
import dev.crucible.trainer.model.Scalars;

/**
 * How per-token losses of an optimizer step become one number. Named in the metrics, since the two
 * weigh long and short episodes differently.
 */
public enum Aggregation {
  /** The mean over every counted token of the step: long episodes weigh more, each token the same. */
  TOKEN_MEAN("token_mean"),
  /**
   * Each sequence's token sum, averaged over the step's sequences (Dr.GRPO's unbiased form): the loss of a
   * sequence does not shrink with its length.
   */
  SEQUENCE_SUM("sequence_sum");

  private final String configName;

  Aggregation(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /**
   * The sum of {@code perToken} where {@code mask} is 1, divided by the step's counted tokens or sequences,
   * so micro-batches of one step add up to the step's loss.
   */
  public NDArray apply(NDArray perToken, NDArray mask, long stepTokens, long stepSequences) {
    long divisor = this == TOKEN_MEAN ? stepTokens : stepSequences;
    return Scalars.over(perToken.mul(mask).sum(), Math.max(1, divisor));
  }

  /** The aggregation a config names, or an exception listing the names there are. */
  public static Aggregation named(String name) {
    for (Aggregation aggregation : values()) {
      if (aggregation.configName.equals(name)) {
        return aggregation;
      }
    }
    throw new IllegalArgumentException("unknown loss aggregation '" + name + "'; use token_mean or sequence_sum");
  }
}
