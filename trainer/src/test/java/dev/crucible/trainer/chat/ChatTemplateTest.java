package dev.crucible.trainer.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.trainer.Conversations;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
  private static ChatTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = TinyModels.tokenizer();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void rendersTheQwenLayoutAndRoundTripsThroughTheTokenizer() {
    ChatTemplate.Tokens tokens = new ChatTemplate(tokenizer).conversation(Conversations.fixing("src/app.py", "add"), Conversations.TOOLS);
    String text = tokenizer.decode(tokens.ids());
    assertThat(text).startsWith("<|im_start|>system\nYou fix bugs.\n\n# Tools\n");
    assertThat(text).contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"view_file\"");
    assertThat(text).contains("<|im_start|>assistant\nLet me look at the file.\n<tool_call>\n{\"name\": \"view_file\", \"arguments\": {\"path\": \"src/app.py\"}}\n</tool_call><|im_end|>\n");
    assertThat(text).contains("<|im_start|>user\n<tool_response>\ndef add(a, b):\n    return a - b\n\n</tool_response><|im_end|>\n");
  }

  @Test
  void theMaskCoversExactlyTheAssistantMessagesAndTheirEndTokens() {
    List<Message> conversation = Conversations.fixing("src/app.py", "add");
    ChatTemplate.Tokens tokens = new ChatTemplate(tokenizer).conversation(conversation, Conversations.TOOLS);
    StringBuilder trained = new StringBuilder();
    long[] ids = tokens.ids();
    for (int i = 0; i < ids.length; i++) {
      if (tokens.assistant()[i]) {
        trained.append(tokenizer.decode(new long[] {ids[i]}));
      }
    }
    assertThat(trained.toString()).isEqualTo(ChatTemplate.assistantText(conversation.get(2)) + "<|im_end|>"
        + ChatTemplate.assistantText(conversation.get(4)) + "<|im_end|>");
  }

  @Test
  void aPromptIsThePrefixOfTheConversationUpToTheAssistantHeader() {
    List<Message> conversation = Conversations.fixing("src/app.py", "add");
    ChatTemplate template = new ChatTemplate(tokenizer);
    long[] prompt = template.prompt(conversation.subList(0, 2), Conversations.TOOLS);
    long[] whole = template.conversation(conversation, Conversations.TOOLS).ids();
    assertThat(java.util.Arrays.copyOf(whole, prompt.length)).isEqualTo(prompt);
    assertThat(tokenizer.decode(prompt)).endsWith("<|im_start|>assistant\n");
  }
}
