package dev.crucible.rollout.agent;

import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.rollout.tools.ToolContext;

/** How the policy and the tools are put together for one episode. */
public interface Scaffold {

  /** The name stored with trajectories, for example {@code single}. */
  String name();

  /** Runs the agent until it submits or its budget ends. */
  AgentRun run(TaskInstance task, Mode mode, Policy policy, ToolBox tools, ToolContext context);

  /**
   * The scaffold a name denotes: {@code single} or {@code phased}.
   *
   * @throws IllegalArgumentException naming the known scaffolds
   */
  static Scaffold named(String name) {
    return switch (name) {
      case "single" -> new SingleScaffold();
      case "phased" -> new PhasedScaffold();
      default -> throw new IllegalArgumentException("unknown scaffold '" + name + "'; known: single, phased");
    };
  }
}
