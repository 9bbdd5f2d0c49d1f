package dev.crucible.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.ModeDecision;
import dev.crucible.data.RlIteration;
import dev.crucible.data.TrainingStep;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.ModeDecisionCodec;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.RlIterationCodec;
import dev.crucible.data.parquet.TrainingStepCodec;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.data.sample.SyntheticTrajectories;
import dev.crucible.jobs.Cli;
import dev.crucible.jobs.CrucibleCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report of an RL run directory laid out as {@code crucible train grpo} writes it, from tables written here. */
class RunReportTest {
  /** Where CI finds the browser's screenshot of the report. */
  static final Path SCREENSHOT = Path.of("target/report-screenshot.png");

  @TempDir Path temp;
  private final Configuration conf = new Configuration();

  private Path rlRun() {
    Path run = temp.resolve("grpo-run");
    SyntheticTrajectories samples = new SyntheticTrajectories(6, 80);
    TrajectoryStore rollouts = new TrajectoryStore(HadoopFiles.local(run.resolve("rollouts")), conf);
    ParquetTable<RlIteration> iterations =
        new ParquetTable<>(HadoopFiles.local(run.resolve("iterations")), RlIterationCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    ParquetTable<TrainingStep> steps =
        new ParquetTable<>(HadoopFiles.local(run.resolve("metrics")), TrainingStepCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    ParquetTable<ModeDecision> decisions =
        new ParquetTable<>(HadoopFiles.local(run.resolve("mode_decisions")), ModeDecisionCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT);
    for (int iteration = 0; iteration < 2; iteration++) {
      List<Trajectory> episodes = new ArrayList<>();
      for (int sample = 0; sample < 3; sample++) {
        episodes.add(samples.episode("rollouts", iteration, "task-" + sample, sample, 11L * iteration + sample));
      }
      try (PartWriter<Trajectory> writer = rollouts.openTrajectoryWriter(iteration)) {
        episodes.forEach(writer::write);
        writer.commit();
      }
      RlIteration row = new RlIteration("grpo-run", "grpo", iteration, iteration, RlIteration.Episodes.of(episodes),
          new RlIteration.GroupCounts(3, 3, 0, 0, 0), new RlIteration.Batch(6, 1000, 300, 0.0, 1.0, 2), new RlIteration.Timing(10, 0, 5, 1),
          iteration == 0 ? RlIteration.Episodes.of(episodes.subList(0, 1)) : null);
      try (PartWriter<RlIteration> writer = iterations.openNamedPart("stage=grpo", "iteration-" + iteration, r -> true)) {
        writer.write(row);
        writer.commit();
      }
      try (PartWriter<TrainingStep> writer = steps.openNamedPart("stage=grpo", "steps-" + iteration, r -> true)) {
        for (int step = 2 * iteration + 1; step <= 2 * iteration + 2; step++) {
          writer.write(new TrainingStep("grpo-run", "grpo", step, 0.6 - 0.1 * step, 1e-4, 0.9, 500, 100, 5000, null, null, null, null,
              new TrainingStep.PolicyFigures(0.001 * step, 0.002 * step, 0.05, 2.5, 0.0, null)));
        }
        writer.commit();
      }
      try (PartWriter<ModeDecision> writer = decisions.openNamedPart("iteration=" + iteration, "decisions", r -> true)) {
        for (Trajectory episode : episodes) {
          writer.write(new ModeDecision(episode.episodeId(), "grpo-run", iteration, episode.taskId(), episode.sampleIndex(), List.of(1f),
              List.of("fast", "deep"), List.of(0.5f, 0.5f), episode.sampleIndex() == 0 ? "deep" : "fast", 0.0, null, null, null));
        }
        writer.commit();
      }
    }
    return run;
  }

  @Test
  void anRlRunShowsItsCurvesItsModesAndEveryEpisodeWithItsTurns() {
    String html = new RunReport(rlRun(), conf).html();
    assertThat(html).as("nothing to run, nothing to fetch").startsWith("<!DOCTYPE html>").doesNotContain("<script", "src=", "href=", "@import", "url(");
    assertThat(html).contains("grpo: iterations", "grpo: optimizer steps", "Modes the meta-controller chose", "Training episodes");
    assertThat(html).contains("data-series=\"mean\"", "data-series=\"held out\"", "data-series=\"loss\"", "data-series=\"k3\"",
        "data-series=\"entropy\"", "data-series=\"fast\"", "data-series=\"deep\"");
    // Loss 0.5, 0.4, 0.3, 0.2 over steps 1..4: the first point top left, the last bottom right.
    assertThat(html).contains("points=\"64.0,36.0 250.7,110.7 437.3,185.3 624.0,260.0\"");
    assertThat(html).contains("6 episodes", "<details><summary>rollouts/1/task-2/2</summary>");
    assertThat(html.split("<details>", -1)).hasSize(7);
  }

  @Test
  void thePageOpensInHeadlessChromiumWithNoConsoleErrorsAndEveryChartDrawsItsSeries() throws Exception {
    Path run = rlRun();
    Path page = Files.writeString(run.resolve("report.html"), new RunReport(run, conf).html());
    assertThat(ReportInBrowser.check(page, SCREENSHOT)).as("charts drawn").isGreaterThanOrEqualTo(5);
  }

  @Test
  void theCommandWritesThePageAndRefusesADirectoryWithNoTables() throws Exception {
    Path run = rlRun();
    Cli.Result result = Cli.run("report", run.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("report: " + run.resolve("report.html"));
    assertThat(Files.readString(run.resolve("report.html"))).contains("grpo: iterations");
    Files.createDirectories(temp.resolve("empty"));
    assertThatThrownBy(() -> new RunReport(temp.resolve("empty"), conf).html()).hasMessageContaining("holds no run tables");
    assertThat(Cli.run("report", temp.resolve("empty").toString()).exitCode()).isEqualTo(CrucibleCommand.EXIT_FAILURE);
  }
}
