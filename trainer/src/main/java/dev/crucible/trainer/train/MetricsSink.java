package dev.crucible.trainer.train;

import dev.crucible.data.TrainingStep;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrainingStepCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Where each step's figures go: Micrometer gauges for a live view, and the {@code metrics} Parquet table.
 * Rows are written as one part per checkpoint interval, named by its steps, so a resumed run rewrites
 * nothing and loses nothing.
 */
public final class MetricsSink {
  private final ParquetTable<TrainingStep> table;
  private final String stage;
  private final List<TrainingStep> pending = new ArrayList<>();
  private final AtomicReference<TrainingStep> last = new AtomicReference<>();
  private final Counter tokens;

  public MetricsSink(Path tableRoot, Configuration conf, String stage, MeterRegistry registry) {
    this.table = table(tableRoot, conf);
    this.stage = stage;
    Gauge.builder("crucible.train.loss", last, r -> r.get() == null ? Double.NaN : r.get().loss()).tag("stage", stage).register(registry);
    Gauge.builder("crucible.train.learning_rate", last, r -> r.get() == null ? Double.NaN : r.get().learningRate()).tag("stage", stage).register(registry);
    Gauge.builder("crucible.train.grad_norm", last, r -> r.get() == null ? Double.NaN : r.get().gradNorm()).tag("stage", stage).register(registry);
    Gauge.builder("crucible.train.tokens_per_second", last, r -> r.get() == null ? Double.NaN : r.get().tokensPerSecond()).tag("stage", stage).register(registry);
    policyGauge(registry, "crucible.train.kl_k3", figures -> orNaN(figures.klK3()));
    policyGauge(registry, "crucible.train.clip_fraction", TrainingStep.PolicyFigures::clipFraction);
    policyGauge(registry, "crucible.train.entropy", TrainingStep.PolicyFigures::entropy);
    policyGauge(registry, "crucible.train.rollout_kl", TrainingStep.PolicyFigures::rolloutKl);
    policyGauge(registry, "crucible.train.value_loss", figures -> orNaN(figures.valueLoss()));
    this.tokens = Counter.builder("crucible.train.tokens").tag("stage", stage).register(registry);
  }

  private static double orNaN(Double figure) {
    return figure == null ? Double.NaN : figure;
  }

  /** An RL figure of the last step; NaN before the first and for stages without them. */
  private void policyGauge(MeterRegistry registry, String name, java.util.function.ToDoubleFunction<TrainingStep.PolicyFigures> figure) {
    Gauge.builder(name, last, r -> r.get() == null || r.get().policy() == null ? Double.NaN : figure.applyAsDouble(r.get().policy()))
        .tag("stage", stage)
        .register(registry);
  }

  public void record(TrainingStep step) {
    pending.add(step);
    last.set(step);
    tokens.increment(step.tokens());
  }

  /** Writes the rows recorded since the last flush as one part. */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    String name = String.format("steps-%06d-%06d", pending.get(0).step(), pending.get(pending.size() - 1).step());
    try (PartWriter<TrainingStep> writer = table.openNamedPart(partition(stage), name, row -> true)) {
      pending.forEach(writer::write);
      writer.commit();
    }
    pending.clear();
  }

  /** The steps of {@code stage} stored in the table at {@code tableRoot}, one row per step. */
  public static List<TrainingStep> read(Path tableRoot, Configuration conf, String stage) {
    return table(tableRoot, conf).read(partition(stage));
  }

  private static ParquetTable<TrainingStep> table(Path tableRoot, Configuration conf) {
    return new ParquetTable<>(tableRoot, TrainingStepCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
  }

  private static String partition(String stage) {
    return "stage=" + stage;
  }
}
