package dev.crucible.rollout.agent;

import java.util.Objects;

/**
 * One message of the conversation a policy sees.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text
 * @param toolName for an assistant message, the tool it called; for a tool message, the tool that answered; else null
 * @param toolArguments for an assistant message with a call, the arguments as JSON text; else null
 */
public record ChatMessage(String role, String content, String toolName, String toolArguments) {
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content, null, null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content, null, null);
  }

  public static ChatMessage tool(String toolName, String observation) {
    return new ChatMessage("tool", observation, toolName, null);
  }
}
