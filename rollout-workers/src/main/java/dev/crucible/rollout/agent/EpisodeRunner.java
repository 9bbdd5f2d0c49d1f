package dev.crucible.rollout.agent;

import dev.crucible.data.ContainerMetrics;
import dev.crucible.data.EpisodeId;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import dev.crucible.rollout.evaluation.EvaluationResult;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.rollout.tools.ToolContext;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one episode end to end: a sandbox at the task's base commit, the agent until it submits or its
 * budget ends, the final patch from the sandbox, grading in a fresh sandbox, one trajectory.
 *
 * <p>A sandbox failure during the agent's run is retried with a new sandbox and a new policy up to
 * {@code maxAttempts} times; after that the episode is an {@code infra_error} with the reason and no
 * reward, never a model failure. So is an evaluation that ends in an infrastructure error.
 */
public final class EpisodeRunner {
  private final SandboxFactory sandboxes;
  private final Evaluator evaluator;
  private final ToolBox tools;
  private final int maxAttempts;

  public EpisodeRunner(SandboxFactory sandboxes, Evaluator evaluator, ToolBox tools, int maxAttempts) {
    this.sandboxes = sandboxes;
    this.evaluator = evaluator;
    this.tools = tools;
    this.maxAttempts = maxAttempts;
  }

  /** Where an episode belongs and how it acts. */
  public record EpisodeSpec(
      String runId,
      int iteration,
      TaskInstance task,
      Path repository,
      int sampleIndex,
      Scaffold scaffold,
      Mode mode,
      PolicyFactory policies) {}

  public Trajectory run(EpisodeSpec spec) {
    long start = System.currentTimeMillis();
    SandboxException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        return attempt(spec, start);
      } catch (SandboxException e) {
        last = e;
        if (!e.retryable()) {
          break;
        }
      } catch (PolicyUnavailableException e) {
        return trajectory(spec, List.of(), "", Outcome.INFRA_ERROR, e.getMessage(), null, null, start);
      }
    }
    String reason = "sandbox failure" + (last.retryable() ? " after " + maxAttempts + " attempts" : "") + ": " + last.getMessage();
    return trajectory(spec, List.of(), "", Outcome.INFRA_ERROR, reason, null, null, start);
  }

  private Trajectory attempt(EpisodeSpec spec, long start) {
    TaskInstance task = spec.task();
    Policy policy = spec.policies().create(task, spec.sampleIndex());
    SandboxSpec sandboxSpec =
        SandboxSpec.builder()
            .image(task.image() == null ? SandboxSpec.DEFAULT_IMAGE : task.image())
            .repository(spec.repository())
            .baseCommit(task.baseCommit())
            .runId(spec.runId())
            .taskId(task.instanceId())
            .build();
    long sandboxStart = System.currentTimeMillis();
    AgentRun run;
    String patch;
    long startMillis;
    try (Sandbox sandbox = sandboxes.create(sandboxSpec)) {
      startMillis = System.currentTimeMillis() - sandboxStart;
      run = spec.scaffold().run(task, spec.mode(), policy, tools, new ToolContext(sandbox, task.testCmd()));
      patch = sandbox.diff();
    }
    ContainerMetrics container = new ContainerMetrics(startMillis, null, null);
    if (patch.isBlank()) {
      Outcome outcome = run.submitted() ? Outcome.UNRESOLVED : Outcome.AGENT_ERROR;
      String reason = run.submitted() ? "submitted no change" : "used its " + spec.mode().maxSteps() + " steps without a change";
      return trajectory(spec, run.turns(), patch, outcome, outcome == Outcome.AGENT_ERROR ? reason : null, null, container, start);
    }
    EvaluationResult graded = evaluator.evaluate(task, spec.repository(), patch, run.tokens(), run.steps());
    if (graded.outcome() == EvaluationOutcome.ERROR) {
      throw new SandboxException(SandboxException.Kind.CONTAINER_GONE, "grading failed: " + graded.reason());
    }
    Outcome outcome = graded.outcome() == EvaluationOutcome.RESOLVED ? Outcome.RESOLVED : Outcome.UNRESOLVED;
    RewardBreakdown reward = graded.reward();
    String reason = outcome == Outcome.UNRESOLVED && graded.reason() != null ? graded.reason() : null;
    return trajectory(spec, run.turns(), patch, outcome, reason, reward, container, start);
  }

  private static Trajectory trajectory(
      EpisodeSpec spec, List<dev.crucible.data.Turn> turns, String patch, Outcome outcome, String reason,
      RewardBreakdown reward, ContainerMetrics container, long start) {
    String task = spec.task().instanceId();
    return new Trajectory(
        EpisodeId.of(spec.runId(), spec.iteration(), task, spec.sampleIndex()), spec.runId(), spec.iteration(), task,
        spec.sampleIndex(), spec.policies().version(), spec.scaffold().name(), spec.mode().tableName(),
        turns, patch, outcome, reason, reward, container, start, System.currentTimeMillis() - start);
  }
}
