package dev.crucible.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.RlIteration;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.io.HadoopFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RlIterationCodecTest {
  @TempDir Path temp;

  private static Turn turn(int index, String role, String observation) {
    return new Turn(index, role, null, "", role.equals("assistant") ? "view_file" : null, null, observation, List.of(), List.of(), 0, 0, 0);
  }

  private static Trajectory episode(int sample, Outcome outcome, Double reward, List<Turn> turns) {
    RewardBreakdown breakdown = reward == null ? null : new RewardBreakdown(outcome == Outcome.RESOLVED, 0, 1, null, 0, 10, 2, 0, 0, reward);
    return new Trajectory(EpisodeId.of("r", 0, "t", sample), "r", 0, "t", sample, "djl:p", "single", "fast", ModeChooser.CONFIG, turns, "", outcome,
        outcome == Outcome.INFRA_ERROR ? "daemon gone" : null, breakdown, null, 0, 1);
  }

  /** Worked by hand: rewards 1.0, -0.5 and 0.25 (the infra error has none); 4 assistant turns over 3 episodes; 3 tool turns, 1 failed. */
  static RlIteration.Episodes threeEpisodes() {
    return RlIteration.Episodes.of(List.of(
        episode(0, Outcome.RESOLVED, 1.0, List.of(turn(0, "assistant", null), turn(1, "tool", "ok"), turn(2, "assistant", null))),
        episode(1, Outcome.UNRESOLVED, -0.5, List.of(turn(0, "assistant", null), turn(1, "tool", "Error: no such file"))),
        episode(2, Outcome.AGENT_ERROR, 0.25, List.of(turn(0, "assistant", null), turn(1, "tool", "fine"))),
        episode(3, Outcome.INFRA_ERROR, null, List.of())));
  }

  @Test
  void summarizesEpisodesAsWorkedByHand() {
    RlIteration.Episodes episodes = threeEpisodes();
    assertThat(episodes.count()).isEqualTo(4);
    assertThat(episodes.resolved()).isEqualTo(1);
    assertThat(episodes.agentErrors()).isEqualTo(1);
    assertThat(episodes.infraErrors()).isEqualTo(1);
    assertThat(episodes.resolveRate()).isEqualTo(1.0 / 3);
    assertThat(episodes.rewardMean()).isCloseTo(0.25, within(1e-12));
    // deviations 0.75, -0.75, 0: variance 1.125 / 3
    assertThat(episodes.rewardStd()).isCloseTo(Math.sqrt(0.375), within(1e-12));
    assertThat(episodes.assistantTurnsMean()).isEqualTo(1.0);
    assertThat(episodes.toolCalls()).isEqualTo(3);
    assertThat(episodes.toolCallSuccesses()).isEqualTo(2);
  }

  @Test
  void rowsRoundTripAndAnotherEngineReadsThem() throws Exception {
    RlIteration evaluated = new RlIteration("grpo-run", "grpo", 0, 0, threeEpisodes(), new RlIteration.GroupCounts(1, 1, 0, 0, 1),
        new RlIteration.Batch(5, 1200, 300, 0.0, 0.9, 2), new RlIteration.Timing(30, 12, 20, 1), threeEpisodes());
    RlIteration plain = new RlIteration("grpo-run", "grpo", 1, 0, RlIteration.Episodes.of(List.of()), new RlIteration.GroupCounts(0, 0, 0, 0, 0),
        new RlIteration.Batch(0, 0, 0, null, null, 0), new RlIteration.Timing(3, 0, 0, 1), null);
    ParquetTable<RlIteration> table =
        new ParquetTable<>(HadoopFiles.local(temp.resolve("iterations")), RlIterationCodec.INSTANCE, new Configuration(), ParquetTable.Duplicates.REJECT);
    for (RlIteration row : List.of(evaluated, plain)) {
      try (PartWriter<RlIteration> writer = table.openNamedPart("stage=grpo", "iteration-" + row.iteration(), r -> true)) {
        writer.write(row);
        writer.commit();
      }
    }
    assertThat(table.read("stage=grpo")).containsExactlyInAnyOrder(evaluated, plain);
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duckdb.createStatement().executeQuery("SELECT iteration, resolve_rate, held_out_resolve_rate, held_out_episodes, rollout_policy FROM read_parquet('"
            + temp.resolve("iterations") + "/**/*.parquet') ORDER BY iteration")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getDouble(2)).isEqualTo(1.0 / 3);
      assertThat(rows.getDouble(3)).isEqualTo(1.0 / 3);
      assertThat(rows.getInt(4)).isEqualTo(4);
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(5)).as("sampled by policy 0 while update 0 trained").isZero();
      rows.getDouble(2);
      assertThat(rows.wasNull()).as("no episodes: no resolve rate").isTrue();
      rows.getObject(3);
      assertThat(rows.wasNull()).isTrue();
    }
  }

  @Test
  void aRowWrittenBeforeRolloutPoliciesWereRecordedReadsAsOnPolicy() {
    RlIteration row = new RlIteration("grpo-run", "grpo", 3, 3, threeEpisodes(), new RlIteration.GroupCounts(1, 1, 0, 0, 0),
        new RlIteration.Batch(5, 1200, 300, 0.0, 0.9, 2), new RlIteration.Timing(30, 0, 20, 1), null);
    GenericRecord record = RlIterationCodec.INSTANCE.encode(row);
    record.put("rollout_policy", null);
    RlIteration read = RlIterationCodec.INSTANCE.decode(record);
    assertThat(read.rolloutPolicy()).isEqualTo(3);
    assertThat(read.staleness()).isZero();
    assertThat(new RlIteration("grpo-run", "grpo", 3, 2, threeEpisodes(), row.groups(), row.batch(), row.timing(), null).describe())
        .contains("iteration 3: 4 episodes", "(sampled by policy 2, staleness 1)");
  }
}
