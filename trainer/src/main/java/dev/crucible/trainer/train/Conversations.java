package dev.crucible.trainer.train;

import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.trainer.chat.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversations the policy saw in an episode. A scaffold that trims history between phases starts
 * each phase with a fresh system message, so every system turn opens a new conversation.
 */
public final class Conversations {
  private Conversations() {}

  public static List<List<Message>> of(Trajectory trajectory) {
    List<Message> messages = new ArrayList<>();
    for (Turn turn : trajectory.turns()) {
      messages.add(message(turn.role(), turn.content(), turn.toolName(), turn.toolArguments(), turn.observation()));
    }
    return split(messages);
  }

  /** The message a stored turn stands for: a tool turn's text is its observation. */
  public static Message message(String role, String content, String toolName, String toolArguments, String observation) {
    return switch (role) {
      case "assistant" -> new Message("assistant", content, toolName, toolArguments);
      case "tool" -> new Message("tool", observation == null ? "" : observation, toolName, null);
      default -> Message.of(role, content);
    };
  }

  /** Splits an episode's messages at each system message; conversations with no assistant message are dropped. */
  public static List<List<Message>> split(List<Message> messages) {
    List<List<Message>> conversations = new ArrayList<>();
    List<Message> current = null;
    for (Message message : messages) {
      if (message.role().equals("system") || current == null) {
        current = new ArrayList<>();
        conversations.add(current);
      }
      current.add(message);
    }
    conversations.removeIf(conversation -> conversation.stream().noneMatch(m -> m.role().equals("assistant")));
    return conversations;
  }
}
