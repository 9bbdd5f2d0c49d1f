package dev.crucible.data.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Turn;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SWE-smith's trajectory rows, in the shape its published files have, as JSON Lines and as Parquet that DuckDB wrote. */
class SweSmithTrajectoryTest {
  @TempDir java.nio.file.Path temp;
  private final Configuration conf = new Configuration();

  @Test
  void parquetShardsWithListsOfMessagesBecomeTurnsWithTheirLabel() throws Exception {
    java.nio.file.Path data = temp.resolve("SWE-smith-trajectories/data");
    Files.createDirectories(data);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      duck.createStatement().execute("COPY (SELECT * FROM (VALUES"
          + " ([{'content': 'You are a helpful assistant.', 'role': 'system'}, {'content': 'Fix count_words.', 'role': 'user'},"
          + "   {'content': 'Let me look.\n```\ncat textops/words.py\n```', 'role': 'assistant'},"
          + "   {'content': 'OBSERVATION:\ndef count_words(text):', 'role': 'user'}], 'o__r.abc123', true, 'claude', 'diff --git a/x b/x\n', 't1'),"
          + " ([{'content': 'sys', 'role': 'system'}, {'content': 'tool output', 'role': 'tool'}], 'o__r.def456', false, 'claude', '', 't2'))"
          + " AS rows(messages, instance_id, resolved, model, patch, traj_id)) TO '" + data.resolve("train-00000-of-00001.parquet")
          + "' (FORMAT parquet)");
    }

    List<SweSmithTrajectory> rows = SweSmithTrajectory.read(new Path(data.getParent().toUri()), conf);

    assertThat(rows).extracting(SweSmithTrajectory::instanceId).containsExactly("o__r.abc123", "o__r.def456");
    SweSmithTrajectory first = rows.get(0);
    assertThat(first.resolved()).isTrue();
    assertThat(first.model()).isEqualTo("claude");
    assertThat(first.patch()).isEqualTo("diff --git a/x b/x\n");
    assertThat(first.turns()).extracting(Turn::role).containsExactly("system", "user", "assistant", "user");
    assertThat(first.turns().get(2).content()).isEqualTo("Let me look.\n```\ncat textops/words.py\n```");
    assertThat(first.turns()).allSatisfy(turn -> assertThat(turn.toolName()).isNull());
    assertThat(rows.get(1).resolved()).isFalse();
    assertThat(rows.get(1).turns()).extracting(Turn::role).as("a tool message is the user's turn").containsExactly("system", "user");
  }

  @Test
  void jsonLinesWithMessagesAsAStringAreReadAndBadRowsNamedWithTheirField() throws Exception {
    java.nio.file.Path file = temp.resolve("trajectories.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"instance_id\": \"a\", \"messages\": \"[{\\\"role\\\": \\\"system\\\", \\\"content\\\": \\\"s\\\"}]\", \"resolved\": true}",
        "{\"instance_id\": \"b\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}], \"resolved\": true}",
        "{\"instance_id\": \"c\", \"messages\": [], \"resolved\": \"yes\"}") + "\n");
    assertThatThrownBy(() -> SweSmithTrajectory.read(new Path(file.toUri()), conf)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(":2: field 'messages': message 0 has the unknown role 'robot'")
        .hasMessageContaining(":3: field 'resolved': a boolean");

    Files.writeString(file, "{\"instance_id\": \"a\", \"messages\": \"[{\\\"role\\\": \\\"system\\\", \\\"content\\\": \\\"s\\\"}]\", \"resolved\": true}\n");
    List<SweSmithTrajectory> rows = SweSmithTrajectory.read(new Path(file.toUri()), conf);
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.model()).isEqualTo("unknown");
      assertThat(row.patch()).isEmpty();
      assertThat(row.turns()).extracting(Turn::content).containsExactly("s");
    });
  }
}
