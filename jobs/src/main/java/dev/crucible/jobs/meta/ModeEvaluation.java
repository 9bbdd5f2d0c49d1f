package dev.crucible.jobs.meta;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.ModeDecision;
import dev.crucible.data.RunLayout;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.rollout.RolloutRun;
import dev.crucible.jobs.rollout.RolloutSettings;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.agent.Mode;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.trainer.meta.MetaController;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * {@code crucible eval modes}: every task in every mode (the oracle's table, one rollout per mode in
 * {@code OUT/oracle/MODE}), then how each fixed mode and the meta-controller fare against the oracle. The
 * meta-controller is one saved before ({@code --meta}) or one trained here by replaying the oracle's
 * episodes as a bandit for {@code --meta-iterations} rounds: each round it draws a mode per task, earns the
 * return of a stored episode of that task in that mode, and updates; its decisions go to {@code
 * OUT/mode_decisions}, the controller to {@code OUT/meta}, and the expected regret after each round is the
 * regret curve. The figures are written to {@code OUT/modes-report.json}.
 */
public final class ModeEvaluation {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String REPORT = RunLayout.MODES_REPORT;

  /**
   * @param tasks the tasks file
   * @param repositories their repositories
   * @param policy the policy, as {@code crucible rollout --policy} names it
   * @param samples episodes per task and mode
   * @param lambda the price of a token: each episode returns {@code reward - lambda * tokens}
   * @param metaIterations bandit rounds that train a fresh meta-controller; 0 with {@code meta} or for none
   * @param meta a saved meta-controller to evaluate, or {@code null}
   * @param embeddingModel a checkpoint whose hidden states embed the statements, or {@code null} for none
   */
  public record Settings(Path out, Path tasks, Path repositories, String policy, String scaffold, Modes modes, int samples, int maxWorkers,
      SandboxChoice sandbox, long seed, Duration episodeTimeout, double lambda, int metaIterations, Path meta,
      MetaController.Settings metaSettings, Path embeddingModel) {}

  /** One chooser's figures, by name: the fixed modes, {@code oracle}, and the meta-controller's. */
  public record Report(Map<String, ModeRegret.Figures> choosers, List<Double> regretCurve, List<String> excludedTasks, ObjectNode json) {}

  private final Settings settings;
  private final PrintStream progress;

  public ModeEvaluation(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public Report run(SparkSession spark) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path tasksFile = HadoopFiles.local(settings.tasks().toAbsolutePath());
    Map<String, List<Trajectory>> byMode = new LinkedHashMap<>();
    for (Mode mode : settings.modes().modes()) {
      progress.printf("eval modes: every task in mode %s (%d steps)%n", mode.name(), mode.maxSteps());
      RolloutSettings rollout = new RolloutSettings(HadoopFiles.localFile(RunLayout.local(settings.out()).oracle(mode.name()).root()).toString(), 0, settings.policy(),
          settings.scaffold(), mode.name(), settings.modes(), settings.samples(), settings.maxWorkers(), settings.sandbox(), settings.seed(), 3,
          settings.episodeTimeout(), -1, true, RewardWeights.defaults(), 0);
      byMode.put(mode.name(), new RolloutRun(rollout, progress).run(spark, tasksFile, HadoopFiles.local(settings.repositories())));
    }
    ModeRegret regret = new ModeRegret(byMode, settings.lambda());
    if (regret.tasks().isEmpty()) {
      throw new IllegalStateException("no task has a graded episode in every mode (left out: " + regret.excluded() + "); nothing to compare");
    }
    Map<String, ModeRegret.Figures> choosers = new LinkedHashMap<>();
    settings.modes().names().forEach(mode -> choosers.put(mode, regret.fixed(mode)));
    choosers.put("oracle", regret.oracleFigures());
    List<Double> curve = new ArrayList<>();
    if (settings.meta() != null || settings.metaIterations() > 0) {
      List<TaskInstance> tasks = SweBenchTasks.read(tasksFile, conf);
      TaskFeatures.Table features = TaskFeatures.of(tasks, HadoopFiles.local(settings.repositories()), settings.embeddingModel());
      try (NDManager manager = NDManager.newBaseManager();
          MetaController controller = settings.meta() != null
              ? MetaController.load(settings.meta(), settings.modes().names(), features.names(), settings.metaSettings(), manager)
              : MetaController.create(settings.modes().names(), features.names(), settings.metaSettings(), manager)) {
        MetaModes meta = new MetaModes(controller, features, settings.lambda(), settings.seed());
        for (int round = 0; round < settings.metaIterations(); round++) {
          curve.add(replay(round, meta, features, regret, conf));
        }
        if (settings.metaIterations() > 0) {
          controller.save(HadoopFiles.localFile(RunLayout.local(settings.out()).meta()));
        }
        choosers.put("auto", regret.figures(greedy(controller, features, regret)));
        choosers.put("auto_sampled", regret.figures(distributions(controller, features, regret)));
      }
    }
    ObjectNode json = json(regret, choosers, curve);
    try {
      Files.createDirectories(settings.out());
      Files.writeString(settings.out().resolve(REPORT), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + settings.out().resolve(REPORT), e);
    }
    return new Report(choosers, curve, regret.excluded(), json);
  }

  /**
   * One bandit round: a mode drawn per task, the return of a stored episode of it in that mode (the
   * round picks which sample), an update; returns the expected regret after it.
   */
  private double replay(int round, MetaModes meta, TaskFeatures.Table features, ModeRegret regret, Configuration conf) {
    List<ModeDecision> decisions = new ArrayList<>();
    double drawnRegret = 0;
    for (String task : regret.tasks()) {
      String mode = meta.draw(round, task, 0);
      ModeRegret.Cell cell = regret.cell(task, mode);
      Trajectory episode = cell.graded().get(round % cell.graded().size());
      decisions.add(meta.decision(round, episode));
      drawnRegret += regret.cell(task, regret.oracle(task)).meanReturn() - regret.returnOf(episode);
    }
    ModeDecisions.write(settings.out(), round, decisions, conf);
    MetaController.Figures figures = meta.learn(decisions);
    double expected = regret.figures(distributions(meta.controller(), features, regret)).regret();
    progress.printf("eval modes: meta round %d: drew %s, regret of the draws %.4f, expected regret after the update %.4f, entropy %.3f%n",
        round, ModeDecisions.counts(decisions), drawnRegret, expected, figures.entropy());
    return expected;
  }

  /** The controller's distribution per compared task. */
  private static Map<String, double[]> distributions(MetaController controller, TaskFeatures.Table features, ModeRegret regret) {
    Map<String, double[]> choice = new LinkedHashMap<>();
    for (String task : regret.tasks()) {
      float[] p = controller.probabilities(features.of(task));
      double[] row = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        row[i] = p[i];
      }
      choice.put(task, row);
    }
    return choice;
  }

  /** The controller's most likely mode per compared task. */
  private static Map<String, double[]> greedy(MetaController controller, TaskFeatures.Table features, ModeRegret regret) {
    Map<String, double[]> choice = new LinkedHashMap<>();
    distributions(controller, features, regret).forEach((task, p) -> {
      int best = 0;
      for (int i = 1; i < p.length; i++) {
        if (p[i] > p[best]) {
          best = i;
        }
      }
      choice.put(task, regret.oneHot(regret.modes().get(best)));
    });
    return choice;
  }

  private ObjectNode json(ModeRegret regret, Map<String, ModeRegret.Figures> choosers, List<Double> curve) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("bench", "eval_modes");
    json.put("policy", settings.policy());
    json.put("tasks", regret.tasks().size());
    json.put("excluded_tasks", regret.excluded().size());
    json.put("samples", settings.samples());
    json.put("lambda", settings.lambda());
    ObjectNode figures = json.putObject("choosers");
    choosers.forEach((name, f) -> figures.putObject(name).put("solve_rate", f.solveRate()).put("mean_tokens", f.meanTokens())
        .put("mean_seconds", f.meanSeconds()).put("mean_return", f.meanReturn()).put("regret", f.regret()));
    ObjectNode oracle = json.putObject("oracle_modes");
    regret.tasks().forEach(task -> oracle.put(task, regret.oracle(task)));
    json.put("meta_iterations", settings.metaIterations());
    ArrayNode regretCurve = json.putArray("regret_curve");
    curve.forEach(regretCurve::add);
    Mode biggest = settings.modes().modes().stream().max(Comparator.comparingInt(Mode::maxSteps)).orElseThrow();
    ModeRegret.Figures auto = choosers.get("auto");
    if (auto != null) {
      ModeRegret.Figures big = choosers.get(biggest.name());
      json.put("largest_mode", biggest.name());
      json.put("tokens_saved_vs_largest", big.meanTokens() == 0 ? 0 : 1 - auto.meanTokens() / big.meanTokens());
      json.put("solve_rate_delta_vs_largest", auto.solveRate() - big.solveRate());
    }
    return json;
  }

  /** The figures as a table, one row per chooser. */
  public static String table(Report report) {
    StringBuilder text = new StringBuilder(String.format("%-14s %10s %12s %10s %10s %10s%n", "chooser", "solve rate", "mean tokens", "seconds",
        "return", "regret"));
    report.choosers().forEach((name, f) -> text.append(String.format("%-14s %10.3f %12.1f %10.1f %10.4f %10.4f%n", name, f.solveRate(),
        f.meanTokens(), f.meanSeconds(), f.meanReturn(), f.regret())));
    return text.toString();
  }
}
