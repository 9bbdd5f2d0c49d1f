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
    List<List<Message>> conversations = new ArrayList<>();
    List<Message> current = null;
    for (Turn turn : trajectory.turns()) {
      if (turn.role().equals("system") || current == null) {
        current = new ArrayList<>();
        conversations.add(current);
      }
      current.add(switch (turn.role()) {
        case "assistant" -> new Message("assistant", turn.content(), turn.toolName(), turn.toolArguments());
        case "tool" -> new Message("tool", turn.observation() == null ? "" : turn.observation(), turn.toolName(), null);
        default -> Message.of(turn.role(), turn.content());
      });
    }
    conversations.removeIf(conversation -> conversation.stream().noneMatch(m -> m.role().equals("assistant")));
    return conversations;
  }
}
