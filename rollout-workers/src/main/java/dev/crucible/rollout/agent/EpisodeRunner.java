package dev.crucible.rollout.agent;

import dev.crucible.data.ContainerMetrics;
import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.reward.swebench.EvalScript;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import dev.crucible.rollout.evaluation.EvaluationResult;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.ImageContainer;
import dev.crucible.rollout.search.CodeIndexCache;
import dev.crucible.rollout.search.Embedder;
import dev.crucible.rollout.search.EmbeddingsUnavailableException;
import dev.crucible.rollout.search.UnitExtractor;
import dev.crucible.rollout.tools.SearchCodeTool;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.rollout.tools.ToolContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs one episode end to end: a sandbox at the task's base commit (or in its own image's {@code /testbed}), the agent until it submits, its
 * budget of steps ends or its deadline passes, the final patch from the sandbox, grading in a fresh
 * sandbox, one trajectory. With progress gradings, the tree is also graded at the agent's edit boundaries,
 * beside it, and each boundary's progress is credited to the turn that made it ({@link ProgressGrader}).
 *
 * <p>Who is to blame decides the outcome ({@link SandboxException} says how the two are told apart):
 *
 * <ul>
 *   <li>What the agent caused ends the episode as an {@code agent_error} with its turns, the reason and
 *       the reward of an attempt that passes nothing ({@link Evaluator#failedAttemptReward}): its
 *       sandbox stopped by the OOM killer, its deadline passed, a change larger than the limit, no
 *       change at all. Never retried, so killing or exhausting the sandbox cannot dodge a reward.
 *   <li>A failure of the infrastructure during the agent's run is retried with a new sandbox and a new
 *       policy up to {@code maxAttempts} times; after that the episode is an {@code infra_error} with the
 *       reason and no reward, never a model failure.
 *   <li>A grading that fails for the infrastructure (the evaluator has already retried what a retry can
 *       help) makes the episode an {@code infra_error} with the agent's turns; the agent is not run again.
 * </ul>
 */
public final class EpisodeRunner {
  /** The default wall-clock budget of one episode, grading not included. */
  public static final Duration DEFAULT_EPISODE_TIMEOUT = Duration.ofMinutes(30);

  private final SandboxFactory sandboxes;
  private final Evaluator evaluator;
  private final ToolBox tools;
  private final int maxAttempts;
  private final Duration episodeTimeout;
  private final int progressGradings;
  /** The snapshots' code indexes, for search_code: one build per task snapshot, shared by its episodes here. */
  private final CodeIndexCache codeIndexes;

  /** Snapshots whose code index a runner keeps. */
  static final int CODE_INDEXES = 16;

  public EpisodeRunner(SandboxFactory sandboxes, Evaluator evaluator, ToolBox tools, int maxAttempts, Duration episodeTimeout) {
    this(sandboxes, evaluator, tools, maxAttempts, episodeTimeout, 0, null);
  }

  /**
   * @param progressGradings edit boundaries graded per episode for progress rewards ({@link ProgressGrader}); 0
   *     measures no progress
   * @param embedder gives search_code's indexes vectors, fused with BM25; {@code null} for BM25 alone
   */
  public EpisodeRunner(SandboxFactory sandboxes, Evaluator evaluator, ToolBox tools, int maxAttempts, Duration episodeTimeout,
      int progressGradings, Embedder embedder) {
    this.sandboxes = sandboxes;
    this.evaluator = evaluator;
    this.tools = tools;
    this.maxAttempts = maxAttempts;
    this.episodeTimeout = episodeTimeout;
    this.progressGradings = progressGradings;
    this.codeIndexes = new CodeIndexCache(CODE_INDEXES, embedder);
  }

  /** Where an episode belongs and how it acts: in {@code mode}, chosen by {@code modeChooser}. */
  public record EpisodeSpec(
      String runId,
      int iteration,
      TaskInstance task,
      Path repository,
      int sampleIndex,
      Scaffold scaffold,
      Mode mode,
      ModeChooser modeChooser,
      PolicyFactory policies) {

    /** An episode in the mode its config names. */
    public EpisodeSpec(String runId, int iteration, TaskInstance task, Path repository, int sampleIndex, Scaffold scaffold, Mode mode,
        PolicyFactory policies) {
      this(runId, iteration, task, repository, sampleIndex, scaffold, mode, ModeChooser.CONFIG, policies);
    }
  }

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
      } catch (PolicyUnavailableException | EmbeddingsUnavailableException e) {
        return trajectory(spec, List.of(), "", Outcome.INFRA_ERROR, e.getMessage(), null, null, start);
      }
    }
    String reason = "sandbox failure" + (last.retryable() ? " after " + maxAttempts + " attempts" : "") + ": " + last.getMessage();
    return trajectory(spec, List.of(), "", Outcome.INFRA_ERROR, reason, null, null, start);
  }

  /** One attempt, with progress measured at its edit boundaries and credited to its turns when configured. */
  private Trajectory attempt(EpisodeSpec spec, long start) {
    if (progressGradings == 0) {
      return attempt(spec, start, null);
    }
    try (ProgressGrader progress = new ProgressGrader(evaluator.testsOnly(), spec.task(), spec.repository(), progressGradings)) {
      Trajectory trajectory = attempt(spec, start, progress);
      ProgressGrader.Credited credited = progress.credit(trajectory.turns(), trajectory.outcome() == Outcome.RESOLVED);
      RewardBreakdown reward =
          trajectory.reward() == null ? null : evaluator.withShaping(trajectory.reward(), credited.progress(), credited.milestones());
      return trajectory.withTurns(credited.turns(), reward);
    }
  }

  /**
   * Gives {@code context} the code index of the task's snapshot, listed from {@code sandbox} before the agent's
   * first step when this runner has none yet. A repository whose code cannot be listed leaves search_code
   * saying why; the episode goes on with the other tools.
   */
  private void indexCode(TaskInstance task, Sandbox sandbox, ToolContext context) {
    String snapshot = task.image() + " " + task.repo() + "@" + task.baseCommit();
    try {
      context.codeIndex(codeIndexes.of(snapshot, () -> UnitExtractor.extract(sandbox)));
    } catch (IllegalStateException e) {
      context.codeIndexMissing(e.getMessage());
    }
  }

  private Trajectory attempt(EpisodeSpec spec, long start, ProgressGrader progress) {
    TaskInstance task = spec.task();
    Policy policy = spec.policies().create(task, spec.sampleIndex(), spec.mode());
    long sandboxStart = System.currentTimeMillis();
    AgentRun run;
    String patch;
    ContainerMetrics container;
    try (Sandbox sandbox = sandboxes.create(sandboxSpec(spec))) {
      container = new ContainerMetrics(System.currentTimeMillis() - sandboxStart, null, null);
      ToolContext context = new ToolContext(sandbox, testCommand(task), episodeTimeout);
      if (progress != null) {
        context.onEditBoundary(turn -> progress.boundary(turn, context.sandbox()));
      }
      ToolBox offered = spec.mode().tools().isEmpty() ? tools : tools.only(spec.mode().tools());
      if (offered.names().contains(SearchCodeTool.NAME)) {
        indexCode(task, sandbox, context);
      }
      run = spec.scaffold().run(task, spec.mode(), policy, offered, context);
      Optional<String> agentFailure = context.agentFailure();
      if (agentFailure.isPresent()) {
        return agentError(spec, run, agentFailure.get(), container, start);
      }
      try {
        patch = sandbox.diff();
      } catch (SandboxException e) {
        if (!e.kind().causedByAgent()) {
          throw e;
        }
        return agentError(spec, run, "cannot take the change: " + e.getMessage(), container, start);
      }
    }
    if (patch.isBlank()) {
      if (run.submitted()) {
        return trajectory(spec, run.turns(), patch, Outcome.UNRESOLVED, "submitted no change",
            evaluator.failedAttemptReward(task, run.tokens(), run.steps()), container, start);
      }
      return agentError(spec, run, "used its " + spec.mode().maxSteps() + " steps without a change", container, start);
    }
    EvaluationResult graded = evaluator.evaluate(task, spec.repository(), patch, run.tokens(), run.steps());
    if (graded.outcome() == EvaluationOutcome.ERROR) {
      return trajectory(spec, run.turns(), patch, Outcome.INFRA_ERROR, "grading failed: " + graded.reason(), null, container, start);
    }
    Outcome outcome = graded.outcome() == EvaluationOutcome.RESOLVED ? Outcome.RESOLVED : Outcome.UNRESOLVED;
    RewardBreakdown reward =
        graded.reward() != null ? graded.reward() : evaluator.failedAttemptReward(task, run.tokens(), run.steps());
    String reason = outcome == Outcome.RESOLVED ? null : graded.reason() != null ? graded.reason() : failingTests(graded);
    return trajectory(spec, run.turns(), patch, outcome, reason, reward, container, start);
  }

  /**
   * The agent's sandbox: the task's repository at its base commit, or for a row with its own image and
   * eval script, that image's {@code /testbed} with the script's environment activated, as SWE-Gym and
   * SWE-smith instances are worked on.
   */
  private static SandboxSpec sandboxSpec(EpisodeSpec spec) {
    return agentSandbox(spec.task(), spec.repository(), spec.runId());
  }

  /**
   * The sandbox an agent works on {@code task} in: its image's {@code /testbed} for a row with its own eval
   * script, else the default image (or the task's) with {@code repository} at the base commit.
   */
  public static SandboxSpec agentSandbox(TaskInstance task, Path repository, String runId) {
    SandboxSpec.Builder builder = SandboxSpec.builder().runId(runId).taskId(task.instanceId());
    if (task.runsItsEvalScript()) {
      return builder.image(task.image()).imageTree(ImageContainer.TESTBED, EvalScript.activation(task.evalScript())).build();
    }
    return builder.image(task.image() == null ? SandboxSpec.DEFAULT_IMAGE : task.image()).repository(repository)
        .baseCommit(task.baseCommit()).build();
  }

  /** What {@code run_tests} runs: the task's {@code test_cmd}, else its eval script's test command, if either. */
  private static String testCommand(TaskInstance task) {
    if (task.testCmd() != null || !task.runsItsEvalScript()) {
      return task.testCmd();
    }
    return EvalScript.testCommand(task.evalScript()).orElse(null);
  }

  /** What failed, for an unresolved episode whose grading gave no other reason. */
  private static String failingTests(EvaluationResult graded) {
    if (graded.tests() == null) {
      return graded.outcome().reportName();
    }
    var tests = graded.tests();
    return "FAIL_TO_PASS " + tests.failToPassSuccess().size() + "/" + (tests.failToPassSuccess().size() + tests.failToPassFailure().size())
        + " pass, PASS_TO_PASS " + tests.passToPassSuccess().size() + "/" + (tests.passToPassSuccess().size() + tests.passToPassFailure().size())
        + " pass";
  }

  private Trajectory agentError(EpisodeSpec spec, AgentRun run, String reason, ContainerMetrics container, long start) {
    return trajectory(spec, run.turns(), "", Outcome.AGENT_ERROR, reason,
        evaluator.failedAttemptReward(spec.task(), run.tokens(), run.steps()), container, start);
  }

  private static Trajectory trajectory(
      EpisodeSpec spec, List<dev.crucible.data.Turn> turns, String patch, Outcome outcome, String reason,
      RewardBreakdown reward, ContainerMetrics container, long start) {
    String task = spec.task().instanceId();
    return new Trajectory(
        EpisodeId.of(spec.runId(), spec.iteration(), task, spec.sampleIndex()), spec.runId(), spec.iteration(), task,
        spec.sampleIndex(), spec.policies().version(), spec.scaffold().name(), spec.mode().tableName(),
        spec.modeChooser(), turns, patch, outcome, reason, reward, container, start, System.currentTimeMillis() - start);
  }
}
