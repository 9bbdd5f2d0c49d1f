package dev.crucible.trainer.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import org.junit.jupiter.api.Test;

/** The statement embedding through a real (random, tiny) Qwen2 model. */
class StatementEmbeddingTest {
  @Test
  void aStatementMapsToAUnitVectorOfTheHiddenSizeThatDependsOnItsText() {
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.builtIn();
        Qwen2Model model = Qwen2Model.random(new Qwen2Config(tokenizer.vocabularySize(), 32, 64, 2, 4, 2, 4096, 1e-6, 10000, true, 0, 0), 1,
            manager)) {
      float[] wrap = StatementEmbedding.of(model, tokenizer, "wrap() drops the last word of a line");
      float[] again = StatementEmbedding.of(model, tokenizer, "wrap() drops the last word of a line");
      float[] slug = StatementEmbedding.of(model, tokenizer, "slugify keeps underscores; tests/test_slug.py fails");
      assertThat(wrap).hasSize(32);
      double squares = 0;
      for (float value : wrap) {
        squares += value * value;
      }
      assertThat(squares).isCloseTo(1.0, within(1e-5));
      assertThat(again).containsExactly(wrap);
      assertThat(slug).isNotEqualTo(wrap);
      assertThat(StatementEmbedding.of(model, tokenizer, "x ".repeat(2000))).as("long statements are cut, not refused").hasSize(32);
    }
  }
}
