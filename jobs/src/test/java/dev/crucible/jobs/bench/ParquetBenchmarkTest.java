package dev.crucible.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetBenchmarkTest {
  @TempDir Path temp;

  @Test
  void printsItsFiguresAndLeavesFilesDuckDbReads() throws Exception {
    Path out = temp.resolve("bench");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ParquetBenchmark.Result result =
        new ParquetBenchmark(60, 10, 500, 2, out, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertThat(json.get("rows").asInt()).isEqualTo(60);
    for (String figure : new String[] {"write_mb_s", "baseline_write_mb_s", "ratio", "read_rows_s"}) {
      assertThat(json.get(figure).asDouble()).as(figure).isPositive();
    }
    assertThat(json.get("ratio").asDouble())
        .isCloseTo(json.get("write_mb_s").asDouble() / json.get("baseline_write_mb_s").asDouble(),
            org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("round 2/2");
    assertThat(Files.exists(temp.resolve("bench.baseline"))).as("baseline files are removed").isFalse();

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT count(*), min(len(turns)), max(len(turns)) FROM read_parquet('" + out + "/**/*.parquet')")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(60);
      assertThat(rows.getInt(2)).isEqualTo(10);
      assertThat(rows.getInt(3)).isEqualTo(10);
    }
  }
}
