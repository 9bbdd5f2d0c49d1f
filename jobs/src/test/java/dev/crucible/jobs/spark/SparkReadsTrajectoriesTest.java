package dev.crucible.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.Trajectory;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A researcher's view: the store's tables opened with spark.read.parquet. */
@Tag("spark")
class SparkReadsTrajectoriesTest {
  @TempDir static Path temp;
  private static SparkSession spark;
  private static Map<String, Trajectory> written;

  @BeforeAll
  static void writeRunAndStartSpark() {
    TrajectoryStore store =
        new TrajectoryStore(new org.apache.hadoop.fs.Path(temp.resolve("run-s").toString()), new Configuration());
    SyntheticTrajectories samples = new SyntheticTrajectories(12, 400);
    List<Trajectory> all = new ArrayList<>();
    for (int iteration = 0; iteration < 3; iteration++) {
      List<Trajectory> episodes = new ArrayList<>();
      for (int task = 0; task < 7; task++) {
        episodes.add(samples.episode("run-s", iteration, "task-" + task, task % 3, 5L));
      }
      store.trajectoryTable().writePart(TrajectoryStore.iterationPartition(iteration), episodes);
      all.addAll(episodes);
    }
    written = all.stream().collect(Collectors.toMap(Trajectory::episodeId, t -> t));
    spark = SparkSessions.create("spark-reads-trajectories", "local[2]", Map.of());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void readingTheTableWarnsOfNothing() {
    try (LogCapture warnings = LogCapture.warnings()) {
      Dataset<Row> trajectories = spark.read().parquet(temp.resolve("run-s/trajectories").toString());
      assertThat(trajectories.where("iteration = 2").count()).isEqualTo(7);
      assertThat(trajectories.columns()).containsOnlyOnce("iteration");
      assertThat(warnings.messages()).isEmpty();
    }
  }

  @Test
  void readsEveryEpisodeWithItsNestedTurns() {
    Dataset<Row> trajectories = spark.read().parquet(temp.resolve("run-s/trajectories").toString());
    List<Row> rows =
        trajectories
            .selectExpr("episode_id", "iteration", "size(turns) AS turn_count", "turns[2].tool_name AS tool",
                "size(turns[2].logprobs) AS logprob_count", "turns[3].observation AS observation")
            .collectAsList();
    assertThat(rows).hasSize(written.size());
    for (Row row : rows) {
      Trajectory expected = written.get(row.getString(0));
      assertThat(row.getInt(1)).isEqualTo(expected.iteration());
      assertThat(row.getInt(2)).isEqualTo(expected.turns().size());
      assertThat(row.getString(3)).isEqualTo(expected.turns().get(2).toolName());
      assertThat(row.getInt(4)).isEqualTo(expected.turns().get(2).logprobs().size());
      assertThat(row.getString(5)).isEqualTo(expected.turns().get(3).observation());
    }
  }

  @Test
  void queriesRewardComponentsByNameAndExplodesTurns() {
    spark.read().parquet(temp.resolve("run-s/trajectories").toString()).createOrReplaceTempView("trajectories");
    Row perIteration =
        spark.sql(
                "SELECT count(*), sum(CASE WHEN outcome = 'infra_error' THEN 1 ELSE 0 END),"
                    + " count(reward), sum(tokens) FROM trajectories WHERE iteration = 1")
            .first();
    List<Trajectory> iterationOne =
        written.values().stream().filter(t -> t.iteration() == 1).toList();
    assertThat(perIteration.getLong(0)).isEqualTo(iterationOne.size());
    assertThat(perIteration.getLong(1))
        .isEqualTo(iterationOne.stream().filter(t -> t.reward() == null).count());
    assertThat(perIteration.getLong(2))
        .isEqualTo(iterationOne.stream().filter(t -> t.reward() != null).count());
    assertThat(perIteration.getLong(3))
        .isEqualTo(iterationOne.stream().filter(t -> t.reward() != null).mapToLong(t -> t.reward().tokens()).sum());

    long assistantTurns =
        spark.sql(
                "SELECT count(*) FROM (SELECT explode(turns) AS turn FROM trajectories)"
                    + " WHERE turn.role = 'assistant'")
            .first()
            .getLong(0);
    assertThat(assistantTurns)
        .isEqualTo(
            written.values().stream()
                .flatMap(t -> t.turns().stream())
                .filter(turn -> turn.role().equals("assistant"))
                .count());
  }
}
