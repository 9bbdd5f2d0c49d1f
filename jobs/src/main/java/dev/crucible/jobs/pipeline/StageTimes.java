package dev.crucible.jobs.pipeline;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs each stage unless the ledger says it finished, marks it when it does, and keeps what each took
 * for the table the pipeline ends with.
 */
final class StageTimes {
  private record Row(PipelineStage stage, double seconds, boolean earlier) {}

  private final StageLedger ledger;
  private final PrintStream progress;
  private final List<Row> rows = new ArrayList<>();

  StageTimes(StageLedger ledger, PrintStream progress) {
    this.ledger = ledger;
    this.progress = progress;
  }

  void run(PipelineStage stage, Runnable work) {
    Optional<Double> finished = ledger.finished(stage);
    if (finished.isPresent() && stage != PipelineStage.REPORT) { // The report is drawn again each time: it shows what the run holds now.
      progress.printf(Locale.ROOT, "pipeline: %s finished in an earlier run (%.1f s); skipped%n", stage.configName(), finished.get());
      rows.add(new Row(stage, finished.get(), true));
      return;
    }
    progress.printf("pipeline: stage %s%n", stage.configName());
    long started = System.nanoTime();
    work.run();
    double seconds = (System.nanoTime() - started) / 1e9;
    ledger.finish(stage, seconds);
    rows.add(new Row(stage, seconds, false));
    progress.printf(Locale.ROOT, "pipeline: %s done in %.1f s%n", stage.configName(), seconds);
  }

  /** The time per stage, with the total. */
  String table() {
    StringBuilder table = new StringBuilder("\ntime per stage\n");
    double total = 0;
    for (Row row : rows) {
      total += row.seconds();
      table.append(String.format(Locale.ROOT, "  %-10s %8.1f s%s%n", row.stage().configName(), row.seconds(),
          row.earlier() ? "  (an earlier run)" : ""));
    }
    return table.append(String.format(Locale.ROOT, "  %-10s %8.1f s%n", "total", total)).toString();
  }
}
