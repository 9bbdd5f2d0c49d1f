package dev.crucible.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.RlIteration;
import dev.crucible.data.io.HadoopFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IterationSinkTest {
  @TempDir Path temp;

  private static RlIteration row(int iteration, int resolved, RlIteration.Episodes heldOut) {
    return new RlIteration("run", "grpo", iteration, iteration, new RlIteration.Episodes(8, resolved, 0, 0, 0.5, 0.25, 3, 12, 10),
        new RlIteration.GroupCounts(4, 2, 1, 1, 0), new RlIteration.Batch(8, 800, 200, 0.0, 0.8, 1), new RlIteration.Timing(10, 2, 5, 1), heldOut);
  }

  @Test
  void aRerunIterationReplacesItsRowAndGaugesFollowTheLastRow() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IterationSink sink = new IterationSink(HadoopFiles.local(temp), new Configuration(), "grpo", registry);
    RlIteration.Episodes heldOut = new RlIteration.Episodes(2, 1, 0, 0, 0.0, 0.0, 2, 4, 4);
    sink.record(row(0, 2, heldOut));
    sink.record(row(1, 3, null));
    sink.record(row(1, 4, null));
    assertThat(IterationSink.read(HadoopFiles.local(temp), new Configuration(), "grpo")).containsExactlyInAnyOrder(row(0, 2, heldOut), row(1, 4, null));
    assertThat(registry.get("crucible.rl.iteration").tag("stage", "grpo").gauge().value()).isEqualTo(1);
    assertThat(registry.get("crucible.rl.resolve_rate").gauge().value()).isEqualTo(0.5);
    assertThat(registry.get("crucible.rl.masked_group_share").gauge().value()).isEqualTo(0.25);
    assertThat(registry.get("crucible.rl.held_out_resolve_rate").gauge().value()).as("the last evaluated policy's").isEqualTo(0.5);
    sink.recordHeldOut(new RlIteration.Episodes(2, 2, 0, 0, 1.0, 0.0, 2, 4, 4));
    assertThat(registry.get("crucible.rl.held_out_resolve_rate").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void prometheusScrapesTheGauges() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    IterationSink sink = new IterationSink(HadoopFiles.local(temp), new Configuration(), "grpo", registry);
    sink.record(row(3, 2, null));
    assertThat(registry.scrape()).contains("crucible_rl_resolve_rate{stage=\"grpo\"} 0.25", "crucible_rl_iteration{stage=\"grpo\"} 3.0");
  }
}
