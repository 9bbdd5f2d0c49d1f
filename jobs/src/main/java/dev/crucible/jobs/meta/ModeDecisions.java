package dev.crucible.jobs.meta;

import dev.crucible.data.ModeDecision;
import dev.crucible.data.RunLayout;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.ModeDecisionCodec;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.PartWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/** The {@code mode_decisions} table of a run, one part per iteration (or bandit round), and what a progress line says of them. */
final class ModeDecisions {
  static final String TABLE = RunLayout.MODE_DECISIONS;

  private ModeDecisions() {}

  /** Writes {@code decisions} as {@code RUN/mode_decisions/iteration=I/decisions}, replacing an earlier part of that iteration. */
  static void write(Path run, int iteration, List<ModeDecision> decisions, Configuration conf) {
    ParquetTable<ModeDecision> table = new ParquetTable<>(HadoopFiles.local(run.resolve(TABLE).toAbsolutePath()), ModeDecisionCodec.INSTANCE,
        conf, ParquetTable.Duplicates.REJECT);
    try (PartWriter<ModeDecision> writer = table.openNamedPart("iteration=" + iteration, "decisions", row -> true)) {
      decisions.forEach(writer::write);
      writer.commit();
    }
  }

  /** How many decisions chose each mode, by mode name. */
  static Map<String, Integer> counts(List<ModeDecision> decisions) {
    Map<String, Integer> counts = new TreeMap<>();
    decisions.forEach(decision -> counts.merge(decision.chosenMode(), 1, Integer::sum));
    return counts;
  }
}
