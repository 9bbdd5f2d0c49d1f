package dev.crucible.jobs.train;

import dev.crucible.data.RlIteration;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.RlIterationCodec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Where each RL iteration's row goes: the {@code iterations} Parquet table (partition
 * {@code stage=ALGORITHM}, one part per iteration named after it, so a rerun of an iteration replaces
 * its row) and Micrometer gauges {@code crucible.rl.*} for a live view.
 */
final class IterationSink {
  private final ParquetTable<RlIteration> table;
  private final String stage;
  private final AtomicReference<RlIteration> last = new AtomicReference<>();
  private final AtomicReference<RlIteration.Episodes> lastHeldOut = new AtomicReference<>();

  IterationSink(Path tableRoot, Configuration conf, String stage, MeterRegistry registry) {
    this.table = table(tableRoot, conf);
    this.stage = stage;
    gauge(registry, "crucible.rl.iteration", row -> row.iteration());
    gauge(registry, "crucible.rl.reward_mean", row -> nan(row.rollout().rewardMean()));
    gauge(registry, "crucible.rl.reward_std", row -> nan(row.rollout().rewardStd()));
    gauge(registry, "crucible.rl.resolve_rate", row -> row.rollout().resolveRate());
    gauge(registry, "crucible.rl.masked_group_share", row -> share(row.groups().masked(), row.groups().total()));
    gauge(registry, "crucible.rl.unanimous_group_share", row -> share(row.groups().unanimous(), row.groups().total()));
    gauge(registry, "crucible.rl.sampled_tokens", row -> row.batch().sampledTokens());
    gauge(registry, "crucible.rl.staleness", row -> row.staleness());
    gauge(registry, "crucible.rl.rollout_seconds", row -> row.timing().rollout());
    gauge(registry, "crucible.rl.train_seconds", row -> row.timing().train());
    Gauge.builder("crucible.rl.held_out_resolve_rate", lastHeldOut, r -> r.get() == null ? Double.NaN : r.get().resolveRate())
        .tag("stage", stage)
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, ToDoubleFunction<RlIteration> value) {
    Gauge.builder(name, last, r -> r.get() == null ? Double.NaN : value.applyAsDouble(r.get())).tag("stage", stage).register(registry);
  }

  private static double nan(Double value) {
    return value == null ? Double.NaN : value;
  }

  private static double share(int part, int whole) {
    return whole == 0 ? Double.NaN : (double) part / whole;
  }

  void record(RlIteration row) {
    try (PartWriter<RlIteration> writer = table.openNamedPart(partition(stage), String.format("iteration-%06d", row.iteration()), r -> true)) {
      writer.write(row);
      writer.commit();
    }
    last.set(row);
    if (row.heldOut() != null) {
      lastHeldOut.set(row.heldOut());
    }
  }

  /** The held-out figures of a policy no iteration row holds: the last one. */
  void recordHeldOut(RlIteration.Episodes heldOut) {
    lastHeldOut.set(heldOut);
  }

  /** The rows of {@code stage} stored at {@code tableRoot}, one per iteration. */
  static List<RlIteration> read(Path tableRoot, Configuration conf, String stage) {
    return table(tableRoot, conf).read(partition(stage));
  }

  private static ParquetTable<RlIteration> table(Path tableRoot, Configuration conf) {
    return new ParquetTable<>(tableRoot, RlIterationCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
  }

  private static String partition(String stage) {
    return "stage=" + stage;
  }
}
