package dev.crucible.jobs.report;

import dev.crucible.data.RlIteration;
import dev.crucible.data.RunLayout;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.jobs.pipeline.HeldOutStage;
import dev.crucible.jobs.pipeline.PipelineStage;
import dev.crucible.jobs.pipeline.StageLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The parts of a report only a pipeline run has: the time each stage took ({@link StageLedger}) and
 * every stage's model on the held-out tasks ({@code RUN/held-out/<stage>/}).
 */
final class PipelineSections {
  private final Path run;
  private final Configuration conf;

  PipelineSections(Path run, Configuration conf) {
    this.run = run;
    this.conf = conf;
  }

  /** The held-out evaluation's episode folders by stage, in stage order. */
  Map<String, Path> heldOutFolders() {
    Map<String, Path> folders = new LinkedHashMap<>();
    for (PipelineStage stage : PipelineStage.values()) {
      Path folder = run.resolve(HeldOutStage.FOLDER).resolve(stage.configName());
      if (Files.isDirectory(folder.resolve(RunLayout.TRAJECTORIES))) {
        folders.put(stage.configName(), folder);
      }
    }
    return folders;
  }

  Optional<String> stageTimes() {
    if (!Files.isDirectory(run.resolve(RunLayout.PIPELINE))) {
      return Optional.empty();
    }
    Map<PipelineStage, Double> times = new StageLedger(HadoopFiles.local(run), conf).times();
    if (times.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder table = new StringBuilder("<section><h2>Pipeline stages</h2>\n<table><tr><th>stage</th><th>seconds</th></tr>\n");
    double total = 0;
    for (Map.Entry<PipelineStage, Double> entry : times.entrySet()) {
      total += entry.getValue();
      table.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f</td></tr>%n", entry.getKey().configName(), entry.getValue()));
    }
    table.append(String.format(Locale.ROOT, "<tr><th>total</th><th>%.1f</th></tr>%n", total));
    return Optional.of(table.append("</table></section>").toString());
  }

  /** Per stage: resolve rate, well-formed and successful tool calls, tokens; and those rates as a chart over the stages. */
  Optional<String> heldOutByStage() {
    Map<String, Path> folders = heldOutFolders();
    if (folders.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder table = new StringBuilder("<table><tr><th>#</th><th>stage</th><th>policy</th><th>episodes</th><th>resolved</th>"
        + "<th>resolve rate</th><th>well-formed tool calls</th><th>tool calls that succeeded</th><th>mean tokens</th></tr>\n");
    List<double[]> resolveLine = new ArrayList<>();
    List<double[]> wellFormedLine = new ArrayList<>();
    List<double[]> succeededLine = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, Path> entry : folders.entrySet()) {
      List<Trajectory> episodes = new TrajectoryStore(HadoopFiles.local(entry.getValue()), conf).readTrajectories();
      RlIteration.Episodes counts = RlIteration.Episodes.of(episodes);
      double rate = counts.resolveRate();
      double wellFormed = wellFormedShare(episodes);
      double succeeded = counts.toolCalls() == 0 ? Double.NaN : (double) counts.toolCallSuccesses() / counts.toolCalls();
      double tokens = episodes.stream().filter(episode -> episode.reward() != null).mapToLong(episode -> episode.reward().tokens()).average()
          .orElse(Double.NaN);
      String policy = episodes.isEmpty() ? "" : episodes.get(0).policyVersion();
      table.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td>"
              + "<td>%.0f</td></tr>%n", index, Html.escape(entry.getKey()), Html.escape(policy), episodes.size(), counts.resolved(), rate(rate),
          rate(wellFormed), rate(succeeded), tokens));
      resolveLine.add(new double[] {index, rate});
      wellFormedLine.add(new double[] {index, wellFormed});
      succeededLine.add(new double[] {index, succeeded});
      index++;
    }
    return Optional.of("<section><h2>Held-out tasks, per stage's model</h2>\n" + table.append("</table>")
        + SvgChart.rates("held-out rates per stage", "stage (# in the table)", List.of(new SvgChart.Series("resolve rate", resolveLine),
            new SvgChart.Series("well-formed tool calls", wellFormedLine), new SvgChart.Series("tool calls that succeeded", succeededLine)))
        + "</section>");
  }

  private static String rate(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
  }

  /** Of the assistant turns, the share whose tool call parsed; NaN without assistant turns. */
  static double wellFormedShare(List<Trajectory> episodes) {
    long assistant = 0;
    long parsed = 0;
    for (Trajectory episode : episodes) {
      for (Turn turn : episode.turns()) {
        if (turn.role().equals("assistant")) {
          assistant++;
          parsed += turn.toolName() == null ? 0 : 1;
        }
      }
    }
    return assistant == 0 ? Double.NaN : (double) parsed / assistant;
  }
}
