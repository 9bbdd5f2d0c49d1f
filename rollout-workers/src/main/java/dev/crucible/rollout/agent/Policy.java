package dev.crucible.rollout.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * Decides an agent's next action from the conversation so far. Implementations: {@link ScriptedPolicy}
 * (an expert that knows the gold patch); remote and in-process models come with their issues.
 */
public interface Policy {

  /** A label of what acted, stored with every trajectory, for example a checkpoint path or {@code scripted}. */
  String version();

  /**
   * The next assistant message.
   *
   * @param messages the conversation so far
   * @param tools the tools the agent may call, in the OpenAI function-calling layout
   */
  PolicyResponse next(List<ChatMessage> messages, ArrayNode tools);
}
