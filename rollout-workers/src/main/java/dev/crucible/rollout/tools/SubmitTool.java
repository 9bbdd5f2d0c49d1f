package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code submit}: the agent is done; its working tree is the answer. */
public final class SubmitTool implements Tool {
  private static final ObjectNode PARAMETERS = Schemas.parse("{\"type\": \"object\", \"properties\": {}}");

  @Override
  public String name() {
    return "submit";
  }

  @Override
  public String description() {
    return "Finish the task. The current state of the repository is submitted as the fix.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public String call(Arguments arguments, ToolContext context) {
    context.submit();
    return "Submitted. The episode ends here.";
  }
}
