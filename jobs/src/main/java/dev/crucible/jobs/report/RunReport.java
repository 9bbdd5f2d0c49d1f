package dev.crucible.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.ModeDecision;
import dev.crucible.data.RlIteration;
import dev.crucible.data.RunLayout;
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

  /** The training runs a pipeline run holds, each laid out as its own command writes it. */
  private static final List<String> STAGE_RUNS = List.of("sft", "dpo", "grpo", "modes");
  /** Where episodes are, relative to a run: its own, an RL run's training and held-out ones. */
  private static final List<String> EPISODE_FOLDERS = List.of(".", RunLayout.ROLLOUTS, RunLayout.HELD_OUT);

  private final Path run;
  private final Configuration conf;
  private final double pricePerHour;

  /** A report with no cost in money. */
  public RunReport(Path run, Configuration conf) {
    this(run, conf, 0);
  }

  /** @param pricePerHour what an hour of the machines cost, for the cost per resolved episode; 0 for unknown */
  public RunReport(Path run, Configuration conf, double pricePerHour) {
    this.run = run.toAbsolutePath().normalize();
    this.conf = conf;
    this.pricePerHour = pricePerHour;
  }

  /** The page. @throws IllegalArgumentException when the directory holds nothing a report shows */
  public String html() {
    List<String> sections = new ArrayList<>();
    PipelineSections pipeline = new PipelineSections(run, conf);
    pipeline.stageTimes().ifPresent(sections::add);
    pipeline.heldOutByStage().ifPresent(sections::add);
    sections.addAll(runSections(run, ""));
    for (String stage : STAGE_RUNS) {
      if (Files.isDirectory(run.resolve(stage))) {
        sections.addAll(runSections(run.resolve(stage), stage + ": "));
      }
    }
    Map<String, Path> groups = episodeGroups(pipeline);
    if (!groups.isEmpty()) {
      sections.add(throughput(groups));
      sections.add(localization(groups));
      groups.forEach((title, folder) -> sections.add(episodes(title, folder)));
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

  /** The learning curves and modes of one run directory; {@code label} prefixes the headings of a pipeline's stage runs. */
  private List<String> runSections(Path dir, String label) {
    List<String> sections = new ArrayList<>();
    partitions(dir.resolve(RunLayout.ITERATIONS), "stage=").forEach(stage -> sections.add(iterations(dir, stage)));
    partitions(dir.resolve(RunLayout.METRICS), "stage=").forEach(stage -> sections.add(steps(dir, stage)));
    if (Files.isDirectory(dir.resolve(RunLayout.MODE_DECISIONS))) {
      sections.add(modes(dir, label));
    }
    if (Files.isRegularFile(dir.resolve(RunLayout.MODES_REPORT))) {
      sections.add(modesReport(dir));
    }
    return sections;
  }

  /** Every folder with episodes, by title: the run's own, its stage runs' training and held-out ones, the held-out evaluation's. */
  private Map<String, Path> episodeGroups(PipelineSections pipeline) {
    Map<String, Path> groups = new java.util.LinkedHashMap<>();
    List<String> labels = new ArrayList<>(List.of(""));
    STAGE_RUNS.stream().filter(stage -> Files.isDirectory(run.resolve(stage))).forEach(stage -> labels.add(stage + ": "));
    for (String label : labels) {
      Path dir = label.isEmpty() ? run : run.resolve(label.substring(0, label.length() - 2));
      for (String folder : EPISODE_FOLDERS) {
        Path episodes = dir.resolve(folder).normalize();
        if (Files.isDirectory(episodes.resolve(RunLayout.TRAJECTORIES))) {
          String title = folder.equals(".") ? "Episodes" : folder.equals(RunLayout.ROLLOUTS) ? "Training episodes" : "Held-out episodes";
          groups.put(label.isEmpty() ? title : label + title.toLowerCase(Locale.ROOT), episodes);
        }
      }
    }
    pipeline.heldOutFolders().forEach((stage, folder) -> groups.put("Held-out episodes of " + stage, folder));
    return groups;
  }

  private String throughput(Map<String, Path> groups) {
    StringBuilder table = new StringBuilder("<section><h2>Throughput and cost</h2>\n<p>Wall time runs from the first episode's start to"
        + " the last one's end; the shares split the episodes' summed time. Cost: " + (pricePerHour > 0
            ? String.format(Locale.ROOT, "%.2f an hour of wall time", pricePerHour) : "no price per hour given (report.price_per_hour)")
        + ".</p>\n<table><tr><th>episodes</th><th>count</th><th>resolved</th><th>wall s</th><th>episodes/hour</th><th>tokens</th>"
        + "<th>tokens/s generating</th><th>generation</th><th>tools</th><th>sandbox start</th><th>grading and the rest</th><th>sandbox CPU s</th>"
        + "<th>cost per resolved</th></tr>\n");
    groups.forEach((title, folder) -> {
      EpisodeFigures figures = EpisodeFigures.of(new TrajectoryStore(HadoopFiles.local(folder), conf).readTrajectories());
      table.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.1f</td><td>%s</td><td>%d</td><td>%s</td>"
              + "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.1f</td><td>%s</td></tr>%n", Html.escape(title), figures.episodes(),
          figures.resolved(), figures.wallSeconds(), decimal(figures.episodesPerHour(), "%.1f"), figures.tokens(),
          decimal(figures.tokensPerSecond(), "%.1f"), percent(figures.share(figures.generationSeconds())),
          percent(figures.share(figures.toolSeconds())), percent(figures.share(figures.sandboxStartSeconds())),
          percent(figures.share(figures.otherSeconds())), figures.cpuSeconds(), decimal(figures.costPerResolved(pricePerHour), "%.4f")));
    });
    return table.append("</table></section>").toString();
  }

  /** The Lingxi localization funnel of each episode group whose tasks are stored beside it. */
  private String localization(Map<String, Path> groups) {
    StringBuilder table = new StringBuilder("<section><h2>Localization funnel</h2>\n<p>Of the graded episodes whose task's gold patch is"
        + " known: viewed a file the fix changes, edited one, edited a function it changes (of those whose hunks name one), resolved;"
        + " and of those that called search_code, whether a result named a file the fix changes.</p>\n"
        + "<table><tr><th>episodes</th><th>graded</th><th>viewed a gold file</th><th>edited a gold file</th><th>edited a gold function</th>"
        + "<th>resolved</th><th>search found a gold file</th></tr>\n");
    groups.forEach((title, folder) -> {
      Path tasksFile = HadoopFiles.localFile(RunLayout.local(folder).tasks());
      if (!Files.isRegularFile(tasksFile)) {
        return;
      }
      Map<String, dev.crucible.data.TaskInstance> tasks = new java.util.HashMap<>();
      dev.crucible.data.swebench.SweBenchTasks.read(HadoopFiles.local(tasksFile), conf).forEach(task -> tasks.put(task.instanceId(), task));
      dev.crucible.jobs.inspect.Localization localization = new dev.crucible.jobs.inspect.Localization(tasks);
      new TrajectoryStore(HadoopFiles.local(folder), conf).readTrajectories().forEach(localization::add);
      dev.crucible.jobs.inspect.Localization.Funnel funnel = localization.funnel();
      table.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
          Html.escape(title), funnel.episodes(), share(funnel.viewedFile(), funnel.episodes()), share(funnel.editedFile(), funnel.episodes()),
          share(funnel.editedFunction(), funnel.knownFunction()), share(funnel.resolved(), funnel.episodes()),
          share(funnel.searchFoundFile(), funnel.searched())));
    });
    return table.append("</table></section>").toString();
  }

  private static String share(long count, long of) {
    return of == 0 ? "" : String.format(Locale.ROOT, "%d (%.0f%%)", count, 100.0 * count / of);
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }

  private static String decimal(double value, String format) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
  }

  private String iterations(Path dir, String stage) {
    List<RlIteration> rows = new ParquetTable<>(HadoopFiles.local(dir.resolve(RunLayout.ITERATIONS)), RlIterationCodec.INSTANCE, conf,
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

  private String steps(Path dir, String stage) {
    List<TrainingStep> rows = new ParquetTable<>(HadoopFiles.local(dir.resolve(RunLayout.METRICS)), TrainingStepCodec.INSTANCE, conf,
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

  private String modes(Path dir, String label) {
    List<ModeDecision> decisions = new ParquetTable<>(HadoopFiles.local(dir.resolve(RunLayout.MODE_DECISIONS)), ModeDecisionCodec.INSTANCE, conf,
        ParquetTable.Duplicates.REJECT).read();
    Map<String, Map<Integer, Integer>> counts = new TreeMap<>();
    for (ModeDecision decision : decisions) {
      counts.computeIfAbsent(decision.chosenMode(), mode -> new TreeMap<>()).merge(decision.iteration(), 1, Integer::sum);
    }
    List<Integer> iterations = decisions.stream().map(ModeDecision::iteration).distinct().sorted().toList();
    List<SvgChart.Series> lines = new ArrayList<>();
    counts.forEach((mode, byIteration) -> lines.add(new SvgChart.Series(mode,
        iterations.stream().map(i -> new double[] {i, byIteration.getOrDefault(i, 0)}).toList())));
    return "<section><h2>" + Html.escape(label) + "Modes the meta-controller chose</h2>\n" + SvgChart.lines("episodes per mode", "iteration", lines) + "</section>";
  }

  private String modesReport(Path dir) {
    JsonNode report;
    try {
      report = MAPPER.readTree(dir.resolve(RunLayout.MODES_REPORT).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(RunLayout.MODES_REPORT), e);
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
    // A controller loaded rather than trained here has no rounds, so no curve.
    return "<section><h2>Modes against the oracle</h2>\n" + table.append("</table>")
        + (curve.isEmpty() ? "" : SvgChart.lines("expected regret after each round", "round", List.of(new SvgChart.Series("meta-controller", curve))))
        + "</section>";
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
