package dev.crucible.jobs.train;

import dev.crucible.data.DumpedToken;
import dev.crucible.data.parquet.DumpedTokenCodec;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.trainer.rl.PolicyGradientObjective;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code --dump-batches N}: the per-token inputs of the run's first {@code N} optimizer steps, one part
 * {@code step-NNNNNN} of the table {@code OUT/batches} per step (a rerun step replaces its part), steps
 * numbered across iterations as in the metrics table.
 */
final class BatchDump implements PolicyGradientObjective.TokenDump {
  private final ParquetTable<DumpedToken> table;
  private final int offset;
  private final int steps;

  /**
   * @param offset optimizer steps of the iterations before this one
   * @param steps the run's steps to dump, counted from its first
   */
  BatchDump(Path root, Configuration conf, int offset, int steps) {
    this.table = table(root, conf);
    this.offset = offset;
    this.steps = steps;
  }

  @Override
  public boolean wants(int step) {
    return offset + step <= steps;
  }

  @Override
  public void write(int step, List<DumpedToken> tokens) {
    int global = offset + step;
    try (PartWriter<DumpedToken> writer = table.openNamedPart("", String.format("step-%06d", global), token -> true)) {
      tokens.forEach(token -> writer.write(token.withStep(global)));
      writer.commit();
    }
  }

  static List<DumpedToken> read(Path root, Configuration conf) {
    return table(root, conf).read();
  }

  private static ParquetTable<DumpedToken> table(Path root, Configuration conf) {
    return new ParquetTable<>(root, DumpedTokenCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
  }
}
