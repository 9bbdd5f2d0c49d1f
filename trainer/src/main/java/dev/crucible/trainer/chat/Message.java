package dev.crucible.trainer.chat;

import java.util.Objects;

/**
 * One message of a conversation the model reads or writes.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text; for a tool message, the observation
 * @param toolName the tool an assistant message called, or {@code null}
 * @param toolArguments that call's arguments as JSON text, or {@code null}
 */
public record Message(String role, String content, String toolName, String toolArguments) {
  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static Message of(String role, String content) {
    return new Message(role, content, null, null);
  }
}
