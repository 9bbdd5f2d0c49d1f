package dev.crucible.rollout.agent;

import dev.crucible.data.TaskInstance;
import dev.crucible.data.Turn;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.rollout.tools.ToolContext;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent that plans, searches, reads, edits, tests and iterates with every tool (the Warp pattern),
 * for at most {@link Mode#maxSteps()} steps.
 */
public final class SingleScaffold implements Scaffold {
  public static final String SYSTEM_PROMPT =
      "You are a software engineer fixing a bug in the repository in your working directory. Use the tools"
          + " to explore, edit and test; call submit when the fix is done. ";

  @Override
  public String name() {
    return "single";
  }

  @Override
  public AgentRun run(TaskInstance task, Mode mode, Policy policy, ToolBox tools, ToolContext context) {
    List<ChatMessage> messages = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    long now = System.currentTimeMillis();
    messages.add(ChatMessage.system(SYSTEM_PROMPT + mode.guidance()));
    messages.add(ChatMessage.user(task.problemStatement()));
    turns.add(new Turn(0, "system", null, messages.get(0).content(), null, null, null, List.of(), List.of(), now, 0, 0));
    turns.add(new Turn(1, "user", null, messages.get(1).content(), null, null, null, List.of(), List.of(), now, 0, 0));
    long tokens = 0;
    int steps = 0;
    while (steps < mode.maxSteps() && !context.finished()) {
      long start = System.currentTimeMillis();
      PolicyResponse response = policy.next(messages, tools.schemas());
      long generated = System.currentTimeMillis();
      steps++;
      tokens += response.generatedTokens();
      context.actingTurn(turns.size());
      ToolBox.Observation observation =
          response.toolName() == null
              ? tools.failedCall(response.callError() == null ? "no tool call; call a tool, or submit when done" : response.callError())
              : tools.call(response.toolName(), response.toolArguments(), context);
      long done = System.currentTimeMillis();
      messages.add(new ChatMessage("assistant", response.content(), response.toolName(), response.toolArguments()));
      messages.add(ChatMessage.tool(observation.tool(), observation.text()));
      turns.add(
          new Turn(
              turns.size(), "assistant", null, response.content(), response.toolName(), response.toolArguments(), null,
              response.tokenIds(), response.logprobs(), start, generated - start, 0, response.sampling()));
      turns.add(new Turn(turns.size(), "tool", null, "", observation.tool(), null, observation.text(), List.of(), List.of(), generated, 0, done - generated));
    }
    return new AgentRun(turns, steps, tokens, context.submitted());
  }
}
