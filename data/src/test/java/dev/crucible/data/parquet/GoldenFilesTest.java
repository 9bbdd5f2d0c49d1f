package dev.crucible.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.ModeChooser;
import dev.crucible.data.PreferencePair;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.sample.SyntheticTrajectories;
import dev.crucible.data.swebench.SweBenchTasks;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Files written by earlier schema versions, checked in under {@code src/test/resources/golden}: every later
 * version must still read them to the same records. A schema change that breaks old runs fails here.
 * Trajectories have version 1 (no sampling context), version 3 (assistant turns with their sampling) and
 * version 4 (with their progress rewards) and version 5 (who chose the mode, fixed shaping bonuses).
 *
 * <p>Write a file only when a new schema version is introduced, beside the old ones, by running
 * {@link #main} from the repository root on the module's test classpath:
 *
 * <pre>
 * mvn -pl data test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp
 * java -cp "data/target/test-classes:data/target/classes:$(cat /tmp/cp)" \
 *     dev.crucible.data.parquet.GoldenFilesTest
 * </pre>
 */
class GoldenFilesTest {
  static final String TRAJECTORIES = "trajectories-v1.parquet";
  static final String TRAJECTORIES_V3 = "trajectories-v3.parquet";
  static final String TRAJECTORIES_V4 = "trajectories-v4.parquet";
  static final String TRAJECTORIES_V5 = "trajectories-v5.parquet";
  static final String TASKS = "tasks-v1.parquet";
  static final String PAIRS = "preference-pairs-v1.parquet";

  private final Configuration conf = new Configuration();

  @Test
  void readsVersionOneTrajectories() throws URISyntaxException {
    ParquetTable<Trajectory> table =
        new ParquetTable<>(golden(TRAJECTORIES), TrajectoryCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    assertThat(table.read()).isEqualTo(trajectories());
  }

  @Test
  void readsVersionThreeTrajectoriesWithTheirSamplingContext() throws URISyntaxException {
    ParquetTable<Trajectory> table =
        new ParquetTable<>(golden(TRAJECTORIES_V3), TrajectoryCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    List<Trajectory> read = table.read();
    assertThat(read).isEqualTo(trajectoriesV3());
    assertThat(read.get(0).turns().get(2).sampling()).isNotNull();
  }

  @Test
  void readsVersionFourTrajectoriesWithTheirProgress() throws URISyntaxException {
    ParquetTable<Trajectory> table =
        new ParquetTable<>(golden(TRAJECTORIES_V4), TrajectoryCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    List<Trajectory> read = table.read();
    assertThat(read).isEqualTo(trajectoriesV4());
    assertThat(read.stream().flatMap(t -> t.turns().stream()).map(Turn::progress).toList()).contains(0.5, -0.25).containsNull();
  }

  @Test
  void readsVersionFiveTrajectoriesWithTheirModeChooserAndMilestones() throws URISyntaxException {
    ParquetTable<Trajectory> table =
        new ParquetTable<>(golden(TRAJECTORIES_V5), TrajectoryCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    List<Trajectory> read = table.read();
    assertThat(read).isEqualTo(trajectoriesV5());
    assertThat(read).extracting(Trajectory::modeChooser).contains(ModeChooser.CONFIG, ModeChooser.META_CONTROLLER);
    assertThat(read.stream().flatMap(t -> t.turns().stream()).map(Turn::milestone).toList()).contains(0.1, 0.2).containsNull();
  }

  @Test
  void olderTrajectoriesReadAsModesFromTheConfigWithoutMilestones() throws URISyntaxException {
    List<Trajectory> read =
        new ParquetTable<>(golden(TRAJECTORIES_V4), TrajectoryCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT).read();
    assertThat(read).extracting(Trajectory::modeChooser).containsOnly(ModeChooser.CONFIG);
    assertThat(read.stream().filter(t -> t.reward() != null).map(t -> t.reward().milestoneReward())).containsOnly(0.0);
  }

  @Test
  void readsVersionOneTasks() throws URISyntaxException {
    assertThat(SweBenchTasks.read(golden(TASKS), conf)).isEqualTo(tasks());
  }

  @Test
  void readsVersionOnePreferencePairs() throws URISyntaxException {
    ParquetTable<PreferencePair> table =
        new ParquetTable<>(golden(PAIRS), PreferencePairCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    assertThat(table.read()).isEqualTo(pairs());
  }

  static List<Trajectory> trajectories() {
    SyntheticTrajectories samples = new SyntheticTrajectories(6, 120);
    List<Trajectory> trajectories = new ArrayList<>();
    for (int sample = 0; sample < 8; sample++) {
      trajectories.add(samples.episode("golden", 0, "example__textkit-" + (sample / 2), sample % 2, 2026L));
    }
    return trajectories;
  }

  /** The version-1 episodes with every assistant turn given a sampling context, the first a whole prompt. */
  static List<Trajectory> trajectoriesV3() {
    List<Trajectory> trajectories = new ArrayList<>();
    for (Trajectory t : trajectories()) {
      List<Turn> turns = new ArrayList<>();
      boolean first = true;
      for (Turn turn : t.turns()) {
        Turn.Sampling sampling = !turn.role().equals("assistant") ? null
            : new Turn.Sampling(first ? List.of(151644, 8948, 198, 151645) : List.of(198, 151644, 872, 198), !first,
                turn.index() % 4 == 0, 1.0, 1.0, "[{\"type\":\"function\",\"function\":{\"name\":\"submit\"}}]");
        first &= sampling == null;
        turns.add(new Turn(turn.index(), turn.role(), turn.phase(), turn.content(), turn.toolName(), turn.toolArguments(),
            turn.observation(), turn.tokenIds(), turn.logprobs(), turn.startedAtMillis(), turn.generationMillis(),
            turn.toolMillis(), sampling));
      }
      trajectories.add(t.withTurns(turns, t.reward()));
    }
    return trajectories;
  }

  /** The version-3 episodes with progress on their assistant turns: 0.5 on the first (turn 2), -0.25 on the others. */
  static List<Trajectory> trajectoriesV4() {
    List<Trajectory> trajectories = new ArrayList<>();
    for (Trajectory t : trajectoriesV3()) {
      List<Turn> turns = new ArrayList<>();
      for (Turn turn : t.turns()) {
        turns.add(turn.role().equals("assistant") ? turn.withProgress(turn.index() == 2 ? 0.5 : -0.25) : turn);
      }
      trajectories.add(t.withTurns(turns, t.reward()));
    }
    return trajectories;
  }

  /**
   * The version-4 episodes, odd samples with a mode the meta-controller chose and every graded one with
   * milestones: 0.1 on its first assistant turn, 0.2 on its second, their sum in the reward.
   */
  static List<Trajectory> trajectoriesV5() {
    List<Trajectory> trajectories = new ArrayList<>();
    for (Trajectory t : trajectoriesV4()) {
      List<Turn> turns = new ArrayList<>();
      for (Turn turn : t.turns()) {
        turns.add(t.reward() != null && (turn.index() == 2 || turn.index() == 4) ? turn.withMilestone(turn.index() == 2 ? 0.1 : 0.2) : turn);
      }
      RewardBreakdown r = t.reward();
      RewardBreakdown reward = r == null ? null : new RewardBreakdown(r.resolved(), r.failToPassFraction(), r.passToPassFraction(),
          r.changedLineCoverage(), r.lintIssuesIntroduced(), r.tokens(), r.steps(), r.progressReward(), 0.3, r.total());
      Trajectory v5 = t.withTurns(turns, reward);
      trajectories.add(t.sampleIndex() % 2 == 0 ? v5 : new Trajectory(v5.episodeId(), v5.runId(), v5.iteration(), v5.taskId(),
          v5.sampleIndex(), v5.policyVersion(), v5.scaffold(), "deep", ModeChooser.META_CONTROLLER, v5.turns(), v5.finalPatch(),
          v5.outcome(), v5.outcomeReason(), v5.reward(), v5.container(), v5.startedAtMillis(), v5.durationMillis()));
    }
    return trajectories;
  }

  static List<TaskInstance> tasks() {
    return List.of(
        new TaskInstance(
            "example__textkit-0", "example/textkit", "0123456789abcdef0123456789abcdef01234567",
            "wrap() drops the last word", "", "diff --git a/textkit/wrap.py b/textkit/wrap.py\n",
            "", List.of("tests/test_wrap.py::test_last_word"), List.of("tests/test_wrap.py::test_empty"),
            "0.1", null, "2026-11-23T00:00:00Z", "crucible/python:bookworm", "python3 -m pytest -rA",
            "pytest"),
        new TaskInstance(
            "example__textkit-1", "example/textkit", "fedcba9876543210fedcba9876543210fedcba98",
            "slugify keeps underscores", "see slug.py", "diff --git a/textkit/slug.py b/textkit/slug.py\n",
            "diff --git a/tests/test_slug.py b/tests/test_slug.py\n", List.of("tests/test_slug.py::test_hyphen"),
            List.of(), null, null, null, null, null, null));
  }

  static List<PreferencePair> pairs() {
    return List.of(
        new PreferencePair(
            "golden/0/t/0|golden/0/t/1", "golden", 0, "t", "golden/0/t/0", "golden/0/t/1", 1.05, 0.1,
            -40.5, -52.25),
        new PreferencePair(
            "golden/0/u/1|golden/0/u/0", "golden", 0, "u", "golden/0/u/1", "golden/0/u/0", 0.3, -0.2,
            null, null));
  }

  private Path resources() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(getClass().getResource("/golden")).toURI());
  }

  private org.apache.hadoop.fs.Path golden(String name) throws URISyntaxException {
    return new org.apache.hadoop.fs.Path(resources().resolve(name).toString());
  }

  /**
   * Writes the newest version's files into {@code data/src/test/resources/golden} (run from the repository
   * root): trajectories of version 5. Older files are never rewritten.
   */
  public static void main(String[] args) throws Exception {
    Path directory = Path.of("data/src/test/resources/golden");
    Files.createDirectories(directory);
    write(directory.resolve(TRAJECTORIES_V5), TrajectoryCodec.INSTANCE, trajectoriesV5(), new Configuration());
  }

  private static <T> void write(Path file, AvroCodec<T> codec, List<T> rows, Configuration conf) {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(file.toAbsolutePath().toString());
    try (PartWriter<T> writer = PartWriter.open(target, codec, conf, row -> true, target.toString())) {
      rows.forEach(writer::write);
      writer.commit();
    }
  }
}
