package dev.crucible.trainer;

import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.tokenizer.BpeTrainer;
import dev.crucible.trainer.tokenizer.ChatTokenizer;

/** Tiny configurations and a tokenizer learned from a few lines, for fast tests. */
public final class TinyModels {
  private TinyModels() {}

  public static final String CORPUS =
      "def add(a, b):\n    return a + b\n\nclass Parser:\n    def parse(self, text):\n        return text.split()\n"
          + "<tool_call>\n{\"name\": \"view_file\", \"arguments\": {\"path\": \"src/app.py\"}}\n</tool_call>\n"
          + "The tests fail because the function returns the wrong value. Let me look at the file.\n";

  public static ChatTokenizer tokenizer() {
    BpeTrainer trainer = new BpeTrainer();
    for (int i = 0; i < 3; i++) {
      trainer.add(CORPUS);
    }
    return ChatTokenizer.of(trainer.build(120, ChatTokenizer.CHAT_TOKENS));
  }

  /** Two layers, grouped-query attention (4 query heads over 2 key/value heads), untied head. */
  public static Qwen2Config config(int vocabSize) {
    return new Qwen2Config(vocabSize, 32, 64, 2, 4, 2, 128, 1e-6, 10000.0, false, 0, 0);
  }
}
