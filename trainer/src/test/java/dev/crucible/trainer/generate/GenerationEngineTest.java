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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenerationEngineTest {
  private static NDManager manager;
  private static ChatTokenizer tokenizer;
  private static Qwen2Model model;
  private static GenerationEngine engine;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
    tokenizer = TinyModels.tokenizer();
    model = Qwen2Model.random(TinyModels.config(tokenizer.vocabularySize()), 5, manager);
    engine = GenerationEngine.forContext(model, tokenizer, 4);
  }

  @AfterAll
  static void stop() {
    engine.close();
    tokenizer.close();
    manager.close();
  }

  private static final long[] PROMPT = {10, 20, 30, 40};

  @Test
  void greedyTokensAreTheArgmaxOfAFullForwardPassAndCarryTheirLogprobs() {
    Generation generation = engine.generate(PROMPT, SamplingOptions.greedy(6));
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
    Generation generation = engine.generate(PROMPT, new SamplingOptions(5, temperature, topP, 7, List.of()));
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
    SamplingOptions first = new SamplingOptions(12, 1.0, 0.95, 1, List.of());
    List<Integer> a = engine.generate(PROMPT, first).tokenIds();
    assertThat(engine.generate(PROMPT, first).tokenIds()).isEqualTo(a);
    boolean anyDiffers = false;
    for (long seed = 2; seed < 6 && !anyDiffers; seed++) {
      anyDiffers = !engine.generate(PROMPT, new SamplingOptions(12, 1.0, 0.95, seed, List.of())).tokenIds().equals(a);
    }
    assertThat(anyDiffers).isTrue();
  }

  @Test
  void stopsAtAStopTextAndLeavesItOut() {
    Generation free = engine.generate(PROMPT, new SamplingOptions(20, 1.0, 1.0, 3, List.of()));
    String stop = free.text().substring(Math.max(0, free.text().length() / 2 - 1), free.text().length() / 2 + 1);
    Generation stopped = engine.generate(PROMPT, new SamplingOptions(20, 1.0, 1.0, 3, List.of(stop)));
    assertThat(stopped.finishReason()).isEqualTo("stop");
    assertThat(free.text()).startsWith(stopped.text() + stop);
    assertThat(free.text().indexOf(stop)).isEqualTo(stopped.text().length());
    assertThat(stopped.text()).doesNotContain(stop);
  }

  @Test
  void refusesAPromptThatFillsTheContext() {
    long[] tooLong = new long[model.config().maxPositionEmbeddings()];
    assertThatThrownBy(() -> engine.generate(tooLong, SamplingOptions.greedy(1)))
        .isInstanceOf(GenerationEngine.ContextOverflowException.class)
        .hasMessageContaining("leaves no room in the model's context of 128 tokens");
  }

  @Test
  void batchedGenerationsEqualTheSameGenerationsOneAtATime() throws Exception {
    List<long[]> prompts = new ArrayList<>();
    List<SamplingOptions> options = new ArrayList<>();
    for (int i = 0; i < 10; i++) { // More than the engine's 4 rows: some wait, then join mid-flight.
      long[] prompt = new long[3 + 2 * i];
      int offset = 11 * i;
      Arrays.setAll(prompt, t -> 5 + (7 * t + offset) % 90);
      prompts.add(prompt);
      // Budgets differ, so sequences leave at different steps and the rows behind them move up.
      options.add(i % 2 == 0 ? SamplingOptions.greedy(8 + 5 * i) : new SamplingOptions(8 + 5 * i, 1.0, 1.0, 100 + i, List.of()));
    }
    List<Generation> alone = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      alone.add(engine.generate(prompts.get(i), options.get(i)));
    }
    GenerationEngine.Counters before = engine.counters();
    List<CompletableFuture<Generation>> together = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      together.add(engine.submit(prompts.get(i), options.get(i)));
    }
    for (int i = 0; i < prompts.size(); i++) {
      Generation batched = together.get(i).get();
      assertThat(batched.tokenIds()).as("generation %d", i).isEqualTo(alone.get(i).tokenIds());
      assertThat(batched.finishReason()).isEqualTo(alone.get(i).finishReason());
      assertThat(batched.text()).isEqualTo(alone.get(i).text());
      for (int t = 0; t < batched.logprobs().size(); t++) {
        assertThat(batched.logprobs().get(t)).as("generation %d token %d", i, t)
            .isCloseTo(alone.get(i).logprobs().get(t), org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
    GenerationEngine.Counters after = engine.counters();
    double meanBatch = (double) (after.sequenceSteps() - before.sequenceSteps()) / (after.steps() - before.steps());
    assertThat(meanBatch).as("sequences per decoding step").isGreaterThan(2.0);
  }

  @Test
  void aPromptContinuingAnEarlierSequenceReadsOnlyItsNewTokensAndGeneratesAsIfReadWhole() {
    try (GenerationEngine reusing = GenerationEngine.forContext(model, tokenizer, 2);
        GenerationEngine fresh = GenerationEngine.forContext(model, tokenizer, 2)) {
      Generation first = reusing.generate(PROMPT, SamplingOptions.greedy(5));
      // The next turn: the prompt, the reply, then new tokens (a tool's answer).
      long[] next = new long[PROMPT.length + first.tokenIds().size() + 3];
      System.arraycopy(PROMPT, 0, next, 0, PROMPT.length);
      for (int i = 0; i < first.tokenIds().size(); i++) {
        next[PROMPT.length + i] = first.tokenIds().get(i);
      }
      next[next.length - 3] = 50;
      next[next.length - 2] = 51;
      next[next.length - 1] = 52;
      SamplingOptions sampled = new SamplingOptions(12, 1.0, 1.0, 4, List.of());
      GenerationEngine.Counters before = reusing.counters();
      Generation continued = reusing.generate(next, sampled);
      GenerationEngine.Counters after = reusing.counters();
      // Everything the first sequence cached: its prompt and all its tokens but the last, never read by the model.
      assertThat(after.reusedPromptTokens() - before.reusedPromptTokens()).isEqualTo(PROMPT.length + first.tokenIds().size() - 1);
      assertThat(after.promptTokens() - before.promptTokens()).isEqualTo(next.length);

      Generation whole = fresh.generate(next, sampled);
      assertThat(fresh.counters().reusedPromptTokens()).isZero();
      assertThat(continued.tokenIds()).isEqualTo(whole.tokenIds());
      for (int t = 0; t < whole.logprobs().size(); t++) {
        assertThat(continued.logprobs().get(t)).isCloseTo(whole.logprobs().get(t), org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void concurrentCallersEachGetTheirOwnGeneration() throws Exception {
    SamplingOptions options = new SamplingOptions(10, 1.0, 1.0, 9, List.of());
    Generation expected = engine.generate(PROMPT, options);
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      List<Future<Generation>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(callers.submit(() -> engine.generate(PROMPT, options)));
      }
      for (Future<Generation> result : results) {
        assertThat(result.get().tokenIds()).isEqualTo(expected.tokenIds());
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void closingFailsWhatIsLeftAndRefusesMore() {
    GenerationEngine closing = GenerationEngine.forContext(model, tokenizer, 1);
    List<CompletableFuture<Generation>> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(closing.submit(PROMPT, SamplingOptions.greedy(100)));
    }
    closing.close();
    for (CompletableFuture<Generation> result : pending) {
      assertThat(result).isDone(); // Finished before the close, or failed by it: never left hanging.
      if (result.isCompletedExceptionally()) {
        assertThatThrownBy(result::join).hasMessageContaining("closed before this generation ended");
      }
    }
    assertThatThrownBy(() -> closing.submit(PROMPT, SamplingOptions.greedy(1))).hasMessageContaining("closed");
  }
}
