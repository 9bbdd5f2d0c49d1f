package dev.crucible.trainer.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps agent conversations within a model's context the same way in training and in use: the head (the
 * system message and the task) stays, and the oldest turns after it go. In use, {@link #fitPrompt} drops
 * the oldest assistant-and-observation pairs until the prompt fits; in training, {@link #windows} cuts a
 * long conversation into pieces of that same shape (head plus consecutive turns), so every assistant
 * message is learned in a context like the one it will be written in.
 */
public final class ContextWindows {
  private ContextWindows() {}

  /** {@code messages} with the oldest turns after the head dropped until the prompt takes at most {@code budget} tokens. */
  public static List<Message> fitPrompt(ChatTemplate template, List<Message> messages, ArrayNode tools, int budget) {
    int head = headLength(messages);
    int from = head;
    while (template.prompt(join(messages, head, from, messages.size()), tools).length > budget && from < messages.size()) {
      from += 2; // One assistant message and the observation that answered it.
    }
    return join(messages, head, Math.min(from, messages.size()), messages.size());
  }

  /** The conversation as training sequences of at most {@code maxTokens}, together covering every assistant message. */
  public static List<ChatTemplate.Tokens> windows(ChatTemplate template, List<Message> conversation, ArrayNode tools, int maxTokens) {
    ChatTemplate.Tokens whole = template.conversation(conversation, tools);
    if (whole.length() <= maxTokens) {
      return List.of(whole);
    }
    int head = headLength(conversation);
    List<ChatTemplate.Tokens> windows = new ArrayList<>();
    int next = nextAssistant(conversation, head);
    while (next < conversation.size()) {
      ChatTemplate.Tokens best = null;
      int bestEnd = next;
      for (int end = next; end < conversation.size(); end++) {
        if (!conversation.get(end).role().equals("assistant")) {
          continue;
        }
        ChatTemplate.Tokens candidate = template.conversation(join(conversation, head, next, end + 1), tools);
        if (candidate.length() > maxTokens && best != null) {
          break;
        }
        best = candidate; // The first assistant message always goes in, cut later if it alone is too long.
        bestEnd = end;
        if (candidate.length() > maxTokens) {
          break;
        }
      }
      windows.add(best);
      next = nextAssistant(conversation, bestEnd + 1);
    }
    return windows;
  }

  /** Messages up to and including the first user message. */
  private static int headLength(List<Message> messages) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).role().equals("user")) {
        return i + 1;
      }
    }
    return Math.min(1, messages.size());
  }

  private static int nextAssistant(List<Message> messages, int from) {
    int i = from;
    while (i < messages.size() && !messages.get(i).role().equals("assistant")) {
      i++;
    }
    return i;
  }

  private static List<Message> join(List<Message> messages, int head, int from, int to) {
    List<Message> joined = new ArrayList<>(messages.subList(0, head));
    joined.addAll(messages.subList(from, to));
    return joined;
  }
}
