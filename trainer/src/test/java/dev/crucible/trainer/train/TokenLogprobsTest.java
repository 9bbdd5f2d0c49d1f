package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.model.ParameterLayout;
import dev.crucible.trainer.model.Qwen2Model;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The head at the counted positions only gives the log-probs, row sums and gradients of the head at every
 * position, masked.
 */
class TokenLogprobsTest {
  @Test
  void countedPositionsOnlyMatchEveryPositionMasked() {
    Packer packer = new Packer(12);
    List<PackedRow> rows = List.of(
        packer.together(List.of(tokens(new long[] {3, 9, 4, 1, 7}, 2, 4), tokens(new long[] {8, 2, 6}, 1, 3))),
        packer.single(tokens(new long[] {5, 5, 2, 9, 1, 3, 8}, 3, 7)));
    try (NDManager manager = NDManager.newBaseManager(); Qwen2Model model = Qwen2Model.random(TinyModels.config(11), 4, manager)) {
      model.parameters().values().forEach(p -> p.setRequiresGradient(true));
      TokenLogprobs.Batch batch = TokenLogprobs.Batch.of(manager, rows);

      float[] everySums;
      float[] everyEmbeddingGradient;
      float[] everyQGradient;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray every = TokenLogprobs.ofTargets(model.forward(batch.inputs(), batch.positions(), batch.bias(), null), batch.targets())
            .mul(batch.mask()).sum(new int[] {1});
        everySums = every.toFloatArray();
        collector.backward(every.sum());
      }
      everyEmbeddingGradient = gradient(model, ParameterLayout.EMBEDDINGS);
      everyQGradient = gradient(model, ParameterLayout.layer(1) + "self_attn.q_proj.weight");
      zeroGradients(model);

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray counted = TokenLogprobs.counted(model, batch);
        assertThat(counted.getShape().get(0)).isEqualTo(rows.stream().mapToLong(PackedRow::lossTokens).sum());
        assertThat((double) counted.sum().getFloat()).isCloseTo(everySums[0] + everySums[1], within(1e-4));
        NDArray sums = TokenLogprobs.rowSums(model, batch);
        float[] rowSums = sums.toFloatArray();
        assertThat(rowSums).hasSize(2);
        assertThat((double) rowSums[0]).isCloseTo(everySums[0], within(1e-4));
        assertThat((double) rowSums[1]).isCloseTo(everySums[1], within(1e-4));
        collector.backward(sums.sum());
      }
      assertClose(gradient(model, ParameterLayout.EMBEDDINGS), everyEmbeddingGradient);
      assertClose(gradient(model, ParameterLayout.layer(1) + "self_attn.q_proj.weight"), everyQGradient);
    }
  }

  /** A sequence whose mask is on from {@code from} to {@code to} (exclusive). */
  private static ChatTemplate.Tokens tokens(long[] ids, int from, int to) {
    boolean[] mask = new boolean[ids.length];
    for (int i = from; i < to; i++) {
      mask[i] = true;
    }
    return new ChatTemplate.Tokens(ids, mask);
  }

  private static float[] gradient(Qwen2Model model, String name) {
    try (NDArray gradient = model.parameters().get(name).getGradient()) {
      return gradient.toFloatArray();
    }
  }

  private static void zeroGradients(Qwen2Model model) {
    model.parameters().values().forEach(p -> {
      try (NDArray gradient = p.getGradient()) {
        gradient.subi(gradient);
      }
    });
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double largest = 0;
    for (int i = 0; i < expected.length; i++) {
      largest = Math.max(largest, Math.abs(expected[i]));
      assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5));
    }
    assertThat(largest).as("the gradient is not zero").isGreaterThan(1e-4);
  }
}
