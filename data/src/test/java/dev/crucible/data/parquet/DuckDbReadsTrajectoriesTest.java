package dev.crucible.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.Trajectory;
import dev.crucible.data.sample.SyntheticTrajectories;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store writes, DuckDB reads: the same rows, columns and nested turns. */
class DuckDbReadsTrajectoriesTest {
  @TempDir java.nio.file.Path temp;

  @Test
  void readsTheSameEpisodesAndTurnsThatWereWritten() throws SQLException {
    TrajectoryStore store = new TrajectoryStore(new Path(temp.resolve("run-d").toUri()), new Configuration());
    SyntheticTrajectories samples = new SyntheticTrajectories(9, 500);
    Map<String, Trajectory> written = new HashMap<>();
    for (int iteration = 0; iteration < 2; iteration++) {
      try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(iteration)) {
        for (int task = 0; task < 6; task++) {
          Trajectory t = samples.episode("run-d", iteration, "task-" + task, task % 2, 3L);
          writer.write(t);
          written.put(t.episodeId(), t);
        }
        writer.commit();
      }
    }

    String glob = temp.resolve("run-d/trajectories/*/*.parquet").toString();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT episode_id, iteration, outcome, reward, len(turns) AS turn_count,"
                    + " turns[3].tool_name AS third_tool, len(turns[3].token_ids) AS third_tokens"
                    + " FROM read_parquet('" + glob + "')")) {
      int count = 0;
      while (rows.next()) {
        count++;
        Trajectory expected = written.get(rows.getString("episode_id"));
        assertThat(expected).as(rows.getString("episode_id")).isNotNull();
        assertThat(rows.getInt("iteration")).isEqualTo(expected.iteration());
        assertThat(rows.getString("outcome")).isEqualTo(expected.outcome().tableName());
        Object reward = rows.getObject("reward");
        assertThat(reward).isEqualTo(expected.reward() == null ? null : expected.reward().total());
        assertThat(rows.getInt("turn_count")).isEqualTo(expected.turns().size());
        assertThat(rows.getString("third_tool")).isEqualTo(expected.turns().get(2).toolName());
        assertThat(rows.getInt("third_tokens")).isEqualTo(expected.turns().get(2).tokenIds().size());
      }
      assertThat(count).isEqualTo(written.size());
    }
  }

  @Test
  void hivePartitionColumnMatchesTheRows() throws SQLException {
    TrajectoryStore store = new TrajectoryStore(new Path(temp.resolve("run-h").toUri()), new Configuration());
    SyntheticTrajectories samples = new SyntheticTrajectories(4, 10);
    for (int iteration : List.of(0, 5)) {
      store.trajectoryTable()
          .writePart(
              TrajectoryStore.iterationPartition(iteration),
              List.of(samples.episode("run-h", iteration, "t", 0, 1L)));
    }
    String glob = temp.resolve("run-h/trajectories/*/*.parquet").toString();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT DISTINCT iteration FROM read_parquet('" + glob + "', hive_partitioning = true)"
                    + " ORDER BY 1")) {
      List<Integer> iterations = new java.util.ArrayList<>();
      while (rows.next()) {
        iterations.add(rows.getInt(1));
      }
      assertThat(iterations).containsExactly(0, 5);
    }
    assertThat(store.readTrajectories().stream().map(Trajectory::iteration).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(0, 5);
  }
}
