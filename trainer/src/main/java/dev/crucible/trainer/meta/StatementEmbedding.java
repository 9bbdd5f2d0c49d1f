package dev.crucible.trainer.meta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.model.AttentionBias;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.model.Scalars;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.Arrays;

/**
 * A problem statement as the policy model reads it: the mean of the model's final hidden states over the
 * statement's first tokens, scaled to unit length, one of the meta-controller's features.
 */
public final class StatementEmbedding {
  /** Tokens of the statement read: its head says what is wrong, and the cost stays bounded. */
  public static final int MAX_TOKENS = 256;

  private StatementEmbedding() {}

  /** The embedding of {@code statement}, of the model's hidden size. */
  public static float[] of(Qwen2Model model, ChatTokenizer tokenizer, String statement) {
    long[] all = tokenizer.encode(statement.isBlank() ? " " : statement);
    long[] ids = Arrays.copyOf(all, Math.min(all.length, MAX_TOKENS));
    long[] positions = new long[ids.length];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    try (NDManager scratch = NDManager.newBaseManager()) {
      NDArray hidden = model.hidden(scratch.create(ids, new Shape(1, ids.length)), scratch.create(positions, new Shape(1, ids.length)),
          AttentionBias.causal(scratch, 0, ids.length), null);
      NDArray mean = hidden.mean(new int[] {1}).squeeze(0).toType(DataType.FLOAT32, false);
      NDArray norm = mean.norm();
      return mean.div(norm.maximum(Scalars.like(norm, 1e-12))).toFloatArray();
    }
  }
}
