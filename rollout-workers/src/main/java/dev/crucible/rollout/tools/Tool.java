package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One action the agent can take. Implementations are stateless; state lives in the {@link ToolContext}. */
public interface Tool {

  /** The name the policy calls it by, for example {@code view_file}. */
  String name();

  /** What it does, for the policy. */
  String description();

  /** JSON schema of its arguments object. */
  ObjectNode parameters();

  /**
   * Performs the action.
   *
   * @return the observation shown to the agent
   * @throws ToolFailure when the agent asked for something that cannot be done (bad arguments, missing
   *     file, no match); the message becomes the observation
   * @throws dev.crucible.rollout.sandbox.SandboxException when the sandbox itself failed
   */
  String call(Arguments arguments, ToolContext context);
}
