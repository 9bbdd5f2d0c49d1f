package dev.crucible.trainer.train;

import dev.crucible.trainer.Conversations;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Settings and data shared by the training tests. */
final class TrainingRuns {
  private TrainingRuns() {}

  static TrainSettings settings(int maxSteps, int checkpointEvery, TrainSettings.Lora lora) {
    return new TrainSettings(320, 2, 2, 1, maxSteps, 1e-2, 2, 0.1, 0.01, 1.0, 0.9, 0.95, 1e-8, 11, checkpointEvery, 5, lora);
  }

  static List<ChatTemplate.Tokens> conversations(ChatTokenizer tokenizer) {
    ChatTemplate template = new ChatTemplate(tokenizer);
    List<ChatTemplate.Tokens> sequences = new ArrayList<>();
    String[][] cases = {{"src/app.py", "add"}, {"lib/util.py", "parse"}, {"app/core.py", "split"}, {"src/text.py", "join"}};
    for (String[] c : cases) {
      sequences.add(template.conversation(Conversations.fixing(c[0], c[1]), Conversations.TOOLS));
    }
    return sequences;
  }
}
