package dev.crucible.trainer.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.model.AttentionBias;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  private static NDManager manager;
  private static ChatTokenizer tokenizer;
  private static Qwen2Model model;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
    tokenizer = TinyModels.tokenizer();
    model = Qwen2Model.random(TinyModels.config(tokenizer.vocabularySize()), 5, manager);
  }

  @AfterAll
  static void stop() {
    tokenizer.close();
    manager.close();
  }

  private static final long[] PROMPT = {10, 20, 30, 40};

  @Test
  void greedyTokensAreTheArgmaxOfAFullForwardPassAndCarryTheirLogprobs() {
    Generation generation = new Generator(model, tokenizer).generate(PROMPT, SamplingOptions.greedy(6));
    assertThat(generation.tokenIds()).hasSize(6);
    assertThat(generation.finishReason()).isEqualTo("length");
    long[] sequence = new long[PROMPT.length + 5];
    System.arraycopy(PROMPT, 0, sequence, 0, PROMPT.length);
    for (int i = 0; i < 5; i++) {
      sequence[PROMPT.length + i] = generation.tokenIds().get(i);
    }
    try (NDManager m = manager.newSubManager()) {
      long[] positions = new long[sequence.length];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = i;
      }
      NDArray logprobs = model.forward(m.create(sequence, new Shape(1, sequence.length)), m.create(positions, new Shape(1, sequence.length)),
          AttentionBias.causal(m, 0, sequence.length), null).logSoftmax(-1);
      for (int i = 0; i < 6; i++) {
        NDArray row = logprobs.get(0, PROMPT.length - 1 + i);
        assertThat((long) generation.tokenIds().get(i)).isEqualTo(row.argMax().getLong());
        assertThat(generation.logprobs().get(i)).isCloseTo(row.getFloat(generation.tokenIds().get(i)), org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void sampledTokensCarryTheirLogprobUnderTheTemperedNucleusTheyWereDrawnFrom() {
    double temperature = 0.5;
    double topP = 0.9;
    Generation generation = new Generator(model, tokenizer).generate(PROMPT, new SamplingOptions(5, temperature, topP, 7, List.of()));
    long[] sequence = new long[PROMPT.length + generation.tokenIds().size() - 1];
    System.arraycopy(PROMPT, 0, sequence, 0, PROMPT.length);
    for (int i = 0; i + 1 < generation.tokenIds().size(); i++) {
      sequence[PROMPT.length + i] = generation.tokenIds().get(i);
    }
    try (NDManager m = manager.newSubManager()) {
      long[] positions = new long[sequence.length];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = i;
      }
      NDArray logits = model.forward(m.create(sequence, new Shape(1, sequence.length)), m.create(positions, new Shape(1, sequence.length)),
          AttentionBias.causal(m, 0, sequence.length), null);
      for (int i = 0; i < generation.tokenIds().size(); i++) {
        // p = softmax(logits / T); the nucleus: the most probable tokens until their mass reaches top-p.
        double[] p = logits.get(0, PROMPT.length - 1 + i).div(temperature).softmax(-1).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
            .toDoubleArray();
        double[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        double kept = 0;
        for (int k = sorted.length - 1; k >= 0 && (k == sorted.length - 1 || kept < topP); k--) {
          kept += sorted[k];
        }
        double expected = Math.log(p[generation.tokenIds().get(i)]) - Math.log(kept);
        assertThat((double) generation.logprobs().get(i)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3));
      }
    }
  }

  @Test
  void sampledGenerationsRepeatForASeedAndVaryAcrossSeeds() {
    Generator generator = new Generator(model, tokenizer);
    SamplingOptions first = new SamplingOptions(12, 1.0, 0.95, 1, List.of());
    List<Integer> a = generator.generate(PROMPT, first).tokenIds();
    assertThat(generator.generate(PROMPT, first).tokenIds()).isEqualTo(a);
    boolean anyDiffers = false;
    for (long seed = 2; seed < 6 && !anyDiffers; seed++) {
      anyDiffers = !generator.generate(PROMPT, new SamplingOptions(12, 1.0, 0.95, seed, List.of())).tokenIds().equals(a);
    }
    assertThat(anyDiffers).isTrue();
  }

  @Test
  void stopsAtAStopTextAndLeavesItOut() {
    Generator generator = new Generator(model, tokenizer);
    Generation free = generator.generate(PROMPT, new SamplingOptions(20, 1.0, 1.0, 3, List.of()));
    String stop = free.text().substring(Math.max(0, free.text().length() / 2 - 1), free.text().length() / 2 + 1);
    Generation stopped = generator.generate(PROMPT, new SamplingOptions(20, 1.0, 1.0, 3, List.of(stop)));
    assertThat(stopped.finishReason()).isEqualTo("stop");
    assertThat(free.text()).startsWith(stopped.text() + stop);
    assertThat(free.text().indexOf(stop)).isEqualTo(stopped.text().length());
    assertThat(stopped.text()).doesNotContain(stop);
  }

  @Test
  void refusesAPromptThatFillsTheContext() {
    long[] tooLong = new long[model.config().maxPositionEmbeddings()];
    assertThatThrownBy(() -> new Generator(model, tokenizer).generate(tooLong, SamplingOptions.greedy(1)))
        .isInstanceOf(Generator.ContextOverflowException.class)
        .hasMessageContaining("leaves no room in the model's context of 128 tokens");
  }
}
