package dev.crucible.trainer.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.trainer.Conversations;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContextWindowsTest {
  private static ChatTokenizer tokenizer;
  private static ChatTemplate template;

  @BeforeAll
  static void load() {
    tokenizer = TinyModels.tokenizer();
    template = new ChatTemplate(tokenizer);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  /** A task, then eight numbered view and observation turns. */
  private static List<Message> longConversation() {
    List<Message> messages = new ArrayList<>(Conversations.fixing("src/app.py", "add").subList(0, 2));
    for (int i = 0; i < 8; i++) {
      messages.add(new Message("assistant", "Step " + i + ".", "view_file", "{\"path\": \"src/f" + i + ".py\"}"));
      messages.add(new Message("tool", "def f" + i + "():\n    return " + i + "\n", "view_file", null));
    }
    return messages;
  }

  @Test
  void trainingWindowsKeepTheHeadFitTheBudgetAndCoverEveryAssistantMessage() {
    List<Message> conversation = longConversation();
    int whole = template.conversation(conversation, Conversations.TOOLS).length();
    int head = template.conversation(conversation.subList(0, 2), Conversations.TOOLS).length();
    int budget = head + (whole - head) / 3;
    List<ChatTemplate.Tokens> windows = ContextWindows.windows(template, conversation, Conversations.TOOLS, budget);
    assertThat(windows.size()).isBetween(3, 5);
    String headText = tokenizer.decode(template.conversation(conversation.subList(0, 2), Conversations.TOOLS).ids());
    StringBuilder trained = new StringBuilder();
    for (ChatTemplate.Tokens window : windows) {
      assertThat(window.length()).isLessThanOrEqualTo(budget);
      assertThat(tokenizer.decode(window.ids())).startsWith(headText);
      for (int i = 0; i < window.length(); i++) {
        if (window.assistant()[i]) {
          trained.append(tokenizer.decode(new long[] {window.ids()[i]}));
        }
      }
    }
    for (int i = 0; i < 8; i++) {
      assertThat(trained.toString()).containsOnlyOnce("Step " + i + ".");
    }
  }

  @Test
  void aPromptThatDoesNotFitLosesItsOldestTurnsFirst() {
    List<Message> conversation = longConversation();
    int full = template.prompt(conversation, Conversations.TOOLS).length;
    List<Message> fitted = ContextWindows.fitPrompt(template, conversation, Conversations.TOOLS, full - 1);
    assertThat(fitted.subList(0, 2)).isEqualTo(conversation.subList(0, 2));
    assertThat(fitted.get(2).content()).isEqualTo("Step 1.");
    assertThat(fitted.get(fitted.size() - 1)).isEqualTo(conversation.get(conversation.size() - 1));
    assertThat(ContextWindows.fitPrompt(template, conversation, Conversations.TOOLS, full)).isEqualTo(conversation);
  }
}
