package dev.crucible.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.ModeDecision;
import dev.crucible.data.io.HadoopFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeDecisionCodecTest {
  @TempDir Path temp;

  private static ModeDecision decision(int sample, String mode) {
    return new ModeDecision("r/0/t/" + sample, "r", 0, "t", sample, List.of(0.5f, 1f), List.of("fast", "standard", "deep"),
        List.of(0.2f, 0.3f, 0.5f), mode, 0.4, null, null, null);
  }

  @Test
  void decisionsRoundTripWithTheirReturnsAndDuckDbReadsThem() throws Exception {
    ModeDecision graded = decision(0, "deep").withReturn(1.0, 2000, 1e-4);
    ModeDecision infra = decision(1, "fast");
    ParquetTable<ModeDecision> table = new ParquetTable<>(HadoopFiles.local(temp.resolve("mode_decisions")), ModeDecisionCodec.INSTANCE,
        new Configuration(), ParquetTable.Duplicates.REJECT);
    try (PartWriter<ModeDecision> writer = table.openNamedPart("iteration=0", "decisions", r -> true)) {
      writer.write(graded);
      writer.write(infra);
      writer.commit();
    }
    assertThat(table.read("iteration=0")).containsExactly(graded, infra);
    assertThat(graded.costAdjustedReturn()).isEqualTo(1.0 - 1e-4 * 2000);
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows = duckdb.createStatement().executeQuery("SELECT chosen_mode, probabilities[3], cost_adjusted_return FROM read_parquet('"
            + temp.resolve("mode_decisions") + "/**/*.parquet') ORDER BY sample_index")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("deep");
      assertThat(rows.getFloat(2)).isEqualTo(0.5f);
      assertThat(rows.getDouble(3)).isEqualTo(0.8);
      assertThat(rows.next()).isTrue();
      rows.getObject(3);
      assertThat(rows.wasNull()).as("an infra error returns nothing").isTrue();
    }
  }

  @Test
  void aDecisionMustChooseOneOfItsModesWithOneProbabilityEach() {
    assertThatThrownBy(() -> decision(0, "auto")).hasMessageContaining("chose 'auto', not one of [fast, standard, deep]");
    assertThatThrownBy(() -> new ModeDecision("e", "r", 0, "t", 0, List.of(), List.of("fast"), List.of(0.5f, 0.5f), "fast", 0, null, null, null))
        .hasMessageContaining("2 probabilities for 1 modes");
  }
}
