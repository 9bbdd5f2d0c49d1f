package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.EpisodeId;
import dev.crucible.data.Outcome;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.reward.signals.Milestones;
import dev.crucible.rollout.evaluation.EvaluationOptions;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.evaluation.OfficialLayoutImage;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.sandbox.docker.ImageContainer;
import dev.crucible.rollout.sandbox.docker.ImageContainers;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.tools.ToolBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The red team: every {@link RedTeamPolicy.Attack} as a whole episode, through the real tools in a real
 * sandbox and the real grader. For each: the episode finishes, is not resolved, earns no more than an
 * honest failure on the same task, records what happened, and leaves no container behind (checked by
 * {@link DockerTestSupport}); the container wrote nothing to the host's disk beyond its quota and kept
 * no log.
 */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class RedTeamTest {
  private static final long MEMORY = 512L << 20;
  private static final long DISK = 64L << 20;
  private static final Duration EPISODE_TIMEOUT = Duration.ofSeconds(40);

  @TempDir static Path temp;
  private static SampleTask sample;
  private static TaskInstance task;
  private static double honestReward;
  /** The most any sandbox of an episode had written to the host's disk when it was closed, by episode. */
  private static final Map<String, Long> writtenToHost = new ConcurrentHashMap<>();
  /** The episode running now: they run one at a time. */
  private static volatile String currentEpisode;

  @BeforeAll
  static void runAnHonestFailure() {
    sample = SampleTask.create(temp.resolve("textops"));
    task = sample.task("fixture__textops-1", "fixture/textops");
    Trajectory honest = run(RedTeamPolicy.Attack.HONEST_FAILURE, null);
    assertThat(honest.outcome()).as(honest.outcomeReason()).isEqualTo(Outcome.UNRESOLVED);
    assertThat(honest.finalPatch()).contains("an edit that fixes nothing");
    honestReward = honest.reward().total();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = RedTeamPolicy.Attack.class, mode = EnumSource.Mode.EXCLUDE, names = "HONEST_FAILURE")
  void anAttackEarnsNoMoreThanAnHonestFailure(RedTeamPolicy.Attack attack) {
    check(attack, run(attack, null), honestReward);
  }

  @ParameterizedTest(name = "{0} under gVisor")
  @EnumSource(value = RedTeamPolicy.Attack.class, mode = EnumSource.Mode.EXCLUDE, names = "HONEST_FAILURE")
  void anAttackUnderGvisorEarnsNoMoreThanAnHonestFailure(RedTeamPolicy.Attack attack) {
    DockerTestSupport.requireRuntime(DockerTestSupport.GVISOR);
    check(attack, run(attack, DockerTestSupport.GVISOR), honestReward);
  }

  @ParameterizedTest(name = "{0} with progress graded")
  @EnumSource(value = RedTeamPolicy.Attack.class, names = {"EDIT_TESTS", "DELETE_TESTS", "CONFTEST_FORGE", "CONFTEST_DESELECT",
      "EXIT_AT_IMPORT", "FORGE_AT_EXIT", "SITECUSTOMIZE", "FORGE_DIFF"})
  void aForgeryEarnsNoProgressAndNoTestsPassingMilestone(RedTeamPolicy.Attack attack) {
    Trajectory trajectory = run(attack, null, 4);
    check(attack, trajectory, honestReward);
    List<Turn> graded = trajectory.turns().stream().filter(turn -> "run_tests".equals(turn.toolName()) && turn.role().equals("assistant")).toList();
    assertThat(graded).as("the forgery was put to a progress grading").hasSize(1);
    assertThat(graded.get(0).progress()).as(describe(trajectory)).isIn(0.0, null);
    assertThat(trajectory.turns()).allSatisfy(turn -> assertThat(turn.progress() == null ? 0.0 : turn.progress()).isLessThanOrEqualTo(0.0));
    assertThat(trajectory.reward().progressReward()).isZero();
    assertThat(trajectory.turns()).as("neither tests passing nor solved").allSatisfy(
        turn -> assertThat(turn.milestone() == null ? 0.0 : turn.milestone()).isLessThanOrEqualTo(Milestones.CODE));
  }

  /**
   * The forgeries against a row with its own image and eval script (SWE-Gym, SWE-smith), worked on in
   * the image's {@code /testbed} and graded by its script in the hardened way, in an image built offline
   * in the official layout ({@link OfficialLayoutImage}) that stands in for a pulled one.
   */
  @ParameterizedTest(name = "{0} in the row's own image")
  @EnumSource(value = RedTeamPolicy.Attack.class, names = {"EDIT_TESTS", "DELETE_TESTS", "CONFTEST_FORGE", "CONFTEST_DESELECT",
      "EXIT_AT_IMPORT", "FORGE_AT_EXIT", "SITECUSTOMIZE", "FORGE_DIFF"})
  void aForgeryInARowsOwnImageEarnsNoMoreThanAnHonestFailureThere(RedTeamPolicy.Attack attack) {
    double honest = honestFailureInOwnImage(); // Builds the image and its row first.
    check(attack, runInOwnImage(attack), honest);
  }

  private static TaskInstance imageRow;
  private static double honestImageReward;

  /** The honest failure's reward on the image row, run once the first time it is asked for. */
  private static synchronized double honestFailureInOwnImage() {
    if (imageRow == null) {
      imageRow = OfficialLayoutImage.build(temp.resolve("official"), "crucible-test/sweb.eval.textops:red-team").row("fixture__textops-2");
      Trajectory honest = runInOwnImage(RedTeamPolicy.Attack.HONEST_FAILURE);
      assertThat(honest.outcome()).as(describe(honest)).isEqualTo(Outcome.UNRESOLVED);
      assertThat(honest.finalPatch()).contains("an edit that fixes nothing");
      honestImageReward = honest.reward().total();
    }
    return honestImageReward;
  }

  private static Trajectory runInOwnImage(RedTeamPolicy.Attack attack) {
    SandboxFactory sandboxes =
        spec -> new RecordingSandbox(DockerSandbox.create(DockerTestSupport.client(), spec.toBuilder().memoryBytes(MEMORY).diskBytes(DISK).build()));
    ImageContainers images = (image, runId, taskId, log) ->
        ImageContainer.start(DockerTestSupport.client(), image, runId, taskId, ImageLimits.DEFAULT, null, log);
    Evaluator evaluator = new Evaluator(sandboxes, images, EvaluationOptions.defaults().withTestTimeout(Duration.ofMinutes(2)));
    EpisodeRunner runner = new EpisodeRunner(sandboxes, evaluator, ToolBox.standard(new SimpleMeterRegistry()), 3, EPISODE_TIMEOUT);
    currentEpisode = EpisodeId.of("redteam-image", 0, imageRow.instanceId(), attack.ordinal());
    return runner.run(
        new EpisodeRunner.EpisodeSpec("redteam-image", 0, imageRow, null, attack.ordinal(), new SingleScaffold(), Mode.STANDARD,
            PolicyFactory.named(RedTeamPolicy.PREFIX + attack.tableName(), 0)));
  }

  private static void check(RedTeamPolicy.Attack attack, Trajectory trajectory, double honestReward) {
    System.out.printf(
        "red team: %s: %s, reward %.3f (honest failure %.3f): %s%n",
        attack, trajectory.outcome(), trajectory.reward() == null ? Double.NaN : trajectory.reward().total(),
        honestReward, trajectory.outcomeReason());
    assertThat(trajectory.outcome()).as(describe(trajectory)).isIn(Outcome.UNRESOLVED, Outcome.AGENT_ERROR);
    assertThat(trajectory.reward()).as("an attack is scored, never dropped").isNotNull();
    assertThat(trajectory.reward().resolved()).isFalse();
    assertThat(trajectory.reward().total()).as(describe(trajectory)).isLessThanOrEqualTo(honestReward);
    assertThat(trajectory.outcomeReason()).as("the trajectory says what happened").isNotBlank();
    assertThat(writtenToHost.get(trajectory.episodeId())).as("bytes written to the host's disk").isLessThan(1L << 20);
    String observations = observations(trajectory);
    switch (attack) {
      case KILL_ALL -> assertThat(observations).contains("still here");
      case KILL_INIT -> assertThat(observations).contains("Operation not permitted");
      // Under runc the command fails and the agent submits nothing (unresolved); under gVisor the
      // sandbox may give way (agent_error): either is the agent's failure, checked above.
      case FORK_BOMB, MEMORY_HOG -> { }
      case DISK_BOMB -> assertThat(observations).contains("No space left on device");
      case LOG_FLOOD -> assertThat(observations).contains("Permission denied");
      case ESCAPE_PROCESSES -> assertThat(observations).contains("survivors: 0");
      case REPLACE_BINARIES -> assertThat(observations)
          .containsPattern("cannot create regular file '/usr/bin/git': (Read-only file system|Permission denied)");
      case FORGE_DIFF -> assertThat(trajectory.finalPatch()).doesNotContain("+    return len(text.split())");
      case HUGE_CHANGE -> assertThat(trajectory.outcomeReason()).contains("the limit is");
      case OUTLAST_DEADLINE -> assertThat(trajectory.outcomeReason()).contains("deadline");
      default -> assertThat(trajectory.outcome()).isEqualTo(Outcome.UNRESOLVED);
    }
  }

  /** One episode of {@code attack} in sandboxes of {@code runtime} (null for the daemon's default). */
  private static Trajectory run(RedTeamPolicy.Attack attack, String runtime) {
    return run(attack, runtime, 0);
  }

  /** One episode of {@code attack}, its edit boundaries graded for progress up to {@code progressGradings} times. */
  private static Trajectory run(RedTeamPolicy.Attack attack, String runtime, int progressGradings) {
    SandboxFactory sandboxes =
        spec -> new RecordingSandbox(
            DockerSandbox.create(
                DockerTestSupport.client(), spec.toBuilder().memoryBytes(MEMORY).diskBytes(DISK).build().withRuntime(runtime)));
    Evaluator evaluator = new Evaluator(sandboxes, EvaluationOptions.defaults().withTestTimeout(Duration.ofMinutes(2)));
    EpisodeRunner runner =
        new EpisodeRunner(sandboxes, evaluator, ToolBox.standard(new SimpleMeterRegistry()), 3, EPISODE_TIMEOUT, progressGradings, null);
    String runId = (runtime == null ? "redteam" : "redteam-" + runtime) + (progressGradings > 0 ? "-progress" : "");
    currentEpisode = EpisodeId.of(runId, 0, task.instanceId(), attack.ordinal());
    return runner.run(
        new EpisodeRunner.EpisodeSpec(
            runId, 0, task, sample.repository(), attack.ordinal(), new SingleScaffold(), Mode.STANDARD,
            PolicyFactory.named(RedTeamPolicy.PREFIX + attack.tableName(), 0)));
  }

  private static String observations(Trajectory trajectory) {
    return trajectory.turns().stream()
        .map(Turn::observation)
        .filter(java.util.Objects::nonNull)
        .collect(Collectors.joining("\n"));
  }

  private static String describe(Trajectory trajectory) {
    return trajectory.outcome() + ": " + trajectory.outcomeReason() + "\n" + observations(trajectory);
  }

  /**
   * Records, when the sandbox closes, how much its container wrote to the host's disk (the writable
   * layer), under the episode running. Its grading sandboxes record too; the largest wins.
   */
  private record RecordingSandbox(DockerSandbox sandbox) implements Sandbox {
    @Override
    public String workdir() {
      return sandbox.workdir();
    }

    @Override
    public ExecResult exec(String command, Duration timeout) {
      return sandbox.exec(command, timeout);
    }

    @Override
    public byte[] readFile(String relativePath) {
      return sandbox.readFile(relativePath);
    }

    @Override
    public String resolvePath(String relativePath, boolean mustExist) {
      return sandbox.resolvePath(relativePath, mustExist);
    }

    @Override
    public void writeFile(String relativePath, byte[] content) {
      sandbox.writeFile(relativePath, content);
    }

    @Override
    public String writeScratchFile(String name, byte[] content) {
      return sandbox.writeScratchFile(name, content);
    }

    @Override
    public String diff() {
      return sandbox.diff();
    }

    @Override
    public void close() {
      Long written = DockerTestSupport.client().inspectContainerCmd(sandbox.containerId()).withSize(true).exec().getSizeRw();
      writtenToHost.merge(currentEpisode, written == null ? 0L : written, Math::max);
      sandbox.close();
    }
  }
}
