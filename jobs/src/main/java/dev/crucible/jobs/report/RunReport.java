package dev.crucible.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.ModeDecision;
import dev.crucible.data.RlIteration;
import dev.crucible.data.TrainingStep;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.ModeDecisionCodec;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.RlIterationCodec;
import dev.crucible.data.parquet.TrainingStepCodec;
import dev.crucible.data.parquet.TrajectoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * One self-contained HTML page of a run directory, whatever made it: an RL run's learning curves
 * (iterations and optimizer steps per stage), its meta-controller's modes, the training and held-out
 * episodes, an {@code eval modes} report, or a rollout run's episodes. Each episode's row opens its
 * turns. Charts are inline SVG ({@link SvgChart}): the page needs no script and no network.
 */
public final class RunReport {
  /** Episodes listed per table; the rest are counted. */
  static final int MAX_EPISODES = 200;
  private static final int SHORT = 300;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path run;
  private final Configuration conf;

  public RunReport(Path run, Configuration conf) {
    this.run = run.toAbsolutePath().normalize();
    this.conf = conf;
  }

  /** The page. @throws IllegalArgumentException when the directory holds nothing a report shows */
  public String html() {
    List<String> sections = new ArrayList<>();
    partitions(run.resolve("iterations"), "stage=").forEach(stage -> sections.add(iterations(stage)));
    partitions(run.resolve("metrics"), "stage=").forEach(stage -> sections.add(steps(stage)));
    if (Files.isDirectory(run.resolve("mode_decisions"))) {
      sections.add(modes());
    }
    if (Files.isRegularFile(run.resolve("modes-report.json"))) {
      sections.add(modesReport());
    }
    for (String folder : List.of("rollouts", "held-out", ".")) {
      Path episodes = run.resolve(folder).normalize();
      if (Files.isDirectory(episodes.resolve(TrajectoryStore.TRAJECTORIES))) {
        sections.add(episodes(folder.equals(".") ? "Episodes" : folder.equals("rollouts") ? "Training episodes" : "Held-out episodes", episodes));
      }
    }
    if (sections.isEmpty()) {
      throw new IllegalArgumentException(run + " holds no run tables (iterations/, metrics/, trajectories/, rollouts/, modes-report.json)");
    }
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>crucible report: " + Html.escape(run.getFileName().toString())
        + "</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:13px}"
        + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}pre{white-space:pre-wrap;font-size:12px;background:#f6f6f6;margin:2px}"
        + "section{margin-bottom:2em}.empty{color:#888}</style></head><body>\n<h1>crucible report: " + Html.escape(run.getFileName().toString())
        + "</h1>\n<p>" + Html.escape(run.toString()) + "</p>\n" + String.join("\n", sections) + "\n</body></html>\n";
  }

  private String iterations(String stage) {
    List<RlIteration> rows = new ParquetTable<>(HadoopFiles.local(run.resolve("iterations")), RlIterationCodec.INSTANCE, conf,
        ParquetTable.Duplicates.REJECT).read("stage=" + stage);
    rows.sort(Comparator.comparingInt(RlIteration::iteration));
    return "<section><h2>" + Html.escape(stage) + ": iterations</h2>\n"
        + SvgChart.lines("reward per iteration", "iteration", List.of(
            series("mean", rows, RlIteration::iteration, r -> nan(r.rollout().rewardMean())),
            series("mean + std", rows, RlIteration::iteration, r -> nan(r.rollout().rewardMean()) + nan(r.rollout().rewardStd())),
            series("mean - std", rows, RlIteration::iteration, r -> nan(r.rollout().rewardMean()) - nan(r.rollout().rewardStd()))))
        + SvgChart.rates("resolve rate", "iteration / policy", List.of(
            series("training rollout", rows, RlIteration::iteration, r -> r.rollout().resolveRate()),
            series("held out", rows, RlIteration::iteration, r -> r.heldOut() == null ? Double.NaN : r.heldOut().resolveRate())))
        + SvgChart.rates("tool calls that succeeded", "iteration", List.of(
            series("share", rows, RlIteration::iteration, r -> r.rollout().toolCalls() == 0 ? Double.NaN
                : (double) r.rollout().toolCallSuccesses() / r.rollout().toolCalls())))
        + "</section>";
  }

  private String steps(String stage) {
    List<TrainingStep> rows = new ParquetTable<>(HadoopFiles.local(run.resolve("metrics")), TrainingStepCodec.INSTANCE, conf,
        ParquetTable.Duplicates.REJECT).read("stage=" + stage);
    rows.sort(Comparator.comparingInt(TrainingStep::step));
    StringBuilder section = new StringBuilder("<section><h2>" + Html.escape(stage) + ": optimizer steps</h2>\n");
    section.append(SvgChart.lines("loss", "step", List.of(series("loss", rows, TrainingStep::step, TrainingStep::loss))));
    if (rows.stream().anyMatch(row -> row.policy() != null)) {
      section.append(SvgChart.lines("KL to the reference (k3)", "step",
          List.of(series("k3", rows, TrainingStep::step, r -> r.policy() == null ? Double.NaN : nan(r.policy().klK3())))));
      section.append(SvgChart.lines("clip fraction and entropy", "step", List.of(
          series("clip fraction", rows, TrainingStep::step, r -> r.policy() == null ? Double.NaN : r.policy().clipFraction()),
          series("entropy", rows, TrainingStep::step, r -> r.policy() == null ? Double.NaN : r.policy().entropy()))));
    }
    return section.append("</section>").toString();
  }

  private String modes() {
    List<ModeDecision> decisions = new ParquetTable<>(HadoopFiles.local(run.resolve("mode_decisions")), ModeDecisionCodec.INSTANCE, conf,
        ParquetTable.Duplicates.REJECT).read();
    Map<String, Map<Integer, Integer>> counts = new TreeMap<>();
    for (ModeDecision decision : decisions) {
      counts.computeIfAbsent(decision.chosenMode(), mode -> new TreeMap<>()).merge(decision.iteration(), 1, Integer::sum);
    }
    List<Integer> iterations = decisions.stream().map(ModeDecision::iteration).distinct().sorted().toList();
    List<SvgChart.Series> lines = new ArrayList<>();
    counts.forEach((mode, byIteration) -> lines.add(new SvgChart.Series(mode,
        iterations.stream().map(i -> new double[] {i, byIteration.getOrDefault(i, 0)}).toList())));
    return "<section><h2>Modes the meta-controller chose</h2>\n" + SvgChart.lines("episodes per mode", "iteration", lines) + "</section>";
  }

  private String modesReport() {
    JsonNode report;
    try {
      report = MAPPER.readTree(run.resolve("modes-report.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + run.resolve("modes-report.json"), e);
    }
    StringBuilder table = new StringBuilder("<table><tr><th>chooser</th><th>solve rate</th><th>mean tokens</th><th>mean return</th><th>regret</th></tr>");
    report.path("choosers").fields().forEachRemaining(entry -> table.append(String.format(Locale.ROOT,
        "<tr><td>%s</td><td>%.3f</td><td>%.1f</td><td>%.4f</td><td>%.4f</td></tr>", Html.escape(entry.getKey()),
        entry.getValue().path("solve_rate").asDouble(), entry.getValue().path("mean_tokens").asDouble(),
        entry.getValue().path("mean_return").asDouble(), entry.getValue().path("regret").asDouble())));
    List<double[]> curve = new ArrayList<>();
    for (int i = 0; i < report.path("regret_curve").size(); i++) {
      curve.add(new double[] {i, report.path("regret_curve").get(i).asDouble()});
    }
    return "<section><h2>Modes against the oracle</h2>\n" + table.append("</table>")
        + SvgChart.lines("expected regret after each round", "round", List.of(new SvgChart.Series("meta-controller", curve))) + "</section>";
  }

  private String episodes(String title, Path runDirectory) {
    List<Trajectory> episodes = new TrajectoryStore(HadoopFiles.local(runDirectory), conf).readTrajectories();
    episodes.sort(Comparator.comparingInt(Trajectory::iteration).thenComparing(Trajectory::taskId).thenComparingInt(Trajectory::sampleIndex));
    Map<String, Integer> outcomes = new TreeMap<>();
    episodes.forEach(episode -> outcomes.merge(episode.outcome().tableName(), 1, Integer::sum));
    StringBuilder section = new StringBuilder("<section><h2>" + Html.escape(title) + "</h2>\n<p>" + episodes.size() + " episodes: "
        + Html.escape(outcomes.toString()) + "</p>\n<table><tr><th>episode</th><th>mode</th><th>outcome</th><th>reward</th><th>tokens</th>"
        + "<th>steps</th><th>seconds</th></tr>\n");
    for (Trajectory episode : episodes.subList(0, Math.min(MAX_EPISODES, episodes.size()))) {
      section.append(String.format(Locale.ROOT, "<tr><td><details><summary>%s</summary>%s</details></td><td>%s</td><td>%s</td><td>%s</td>"
              + "<td>%s</td><td>%s</td><td>%.1f</td></tr>%n", Html.escape(episode.episodeId()), turns(episode),
          Html.escape(episode.mode() + " (" + episode.modeChooser().tableName() + ")"), Html.escape(episode.outcome().tableName()),
          episode.reward() == null ? "" : String.format(Locale.ROOT, "%.4f", episode.reward().total()),
          episode.reward() == null ? "" : episode.reward().tokens(), episode.reward() == null ? "" : episode.reward().steps(),
          episode.durationMillis() / 1000.0));
    }
    section.append("</table>");
    if (episodes.size() > MAX_EPISODES) {
      section.append("<p>").append(episodes.size() - MAX_EPISODES).append(" more episodes are in the tables, not listed here.</p>");
    }
    return section.append("</section>").toString();
  }

  private static String turns(Trajectory episode) {
    StringBuilder text = new StringBuilder();
    for (Turn turn : episode.turns()) {
      String body = turn.role().equals("tool") ? turn.observation() : turn.content()
          + (turn.toolName() == null ? "" : "\n→ " + turn.toolName() + " " + (turn.toolArguments() == null ? "" : turn.toolArguments()));
      text.append("<pre><b>").append(Html.escape(turn.index() + " " + turn.role())).append("</b> ").append(Html.escape(shorten(body))).append("</pre>");
    }
    return text.toString();
  }

  private static String shorten(String text) {
    return text == null ? "" : text.length() <= SHORT ? text : text.substring(0, SHORT) + " …";
  }

  private static <T> SvgChart.Series series(String name, List<T> rows, Function<T, Integer> x, ToDoubleFunction<T> y) {
    return new SvgChart.Series(name, rows.stream().map(row -> new double[] {x.apply(row), y.applyAsDouble(row)}).toList());
  }

  private static double nan(Double value) {
    return value == null ? Double.NaN : value;
  }

  /** The partition values under {@code table} whose folders start with {@code prefix}, sorted. */
  private static List<String> partitions(Path table, String prefix) {
    if (!Files.isDirectory(table)) {
      return List.of();
    }
    try (Stream<Path> folders = Files.list(table)) {
      return folders.map(folder -> folder.getFileName().toString()).filter(name -> name.startsWith(prefix))
          .map(name -> name.substring(prefix.length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + table, e);
    }
  }
}
