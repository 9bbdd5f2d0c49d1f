package dev.crucible.jobs.meta;

import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every task run in every mode (the oracle's table), and how a way of choosing modes fares against the
 * oracle, which takes per task the mode of the best mean return {@code reward - lambda * tokens}. A
 * chooser's regret is the sum over tasks of the oracle's return less the chooser's; a task for which some
 * mode has no graded episode (only infrastructure errors) is left out of every figure and counted.
 */
public final class ModeRegret {
  /** The episodes of one task in one mode, summed up. */
  public record Cell(double meanReturn, double solveRate, double meanTokens, double meanSeconds, List<Trajectory> graded) {}

  /** How a chooser fared over the compared tasks. */
  public record Figures(double solveRate, double meanTokens, double meanSeconds, double meanReturn, double regret) {}

  private final List<String> modes;
  private final double lambda;
  private final Map<String, Map<String, Cell>> cells = new TreeMap<>();
  private final List<String> excluded = new ArrayList<>();

  /**
   * @param episodesByMode every mode's episodes, by mode name in the catalog's order
   * @param lambda the price of a token
   */
  public ModeRegret(Map<String, List<Trajectory>> episodesByMode, double lambda) {
    this.modes = List.copyOf(episodesByMode.keySet());
    this.lambda = lambda;
    Map<String, Map<String, List<Trajectory>>> byTask = new TreeMap<>();
    episodesByMode.forEach((mode, episodes) -> episodes.forEach(
        episode -> byTask.computeIfAbsent(episode.taskId(), t -> new LinkedHashMap<>()).computeIfAbsent(mode, m -> new ArrayList<>()).add(episode)));
    byTask.forEach((task, byMode) -> {
      Map<String, Cell> row = new LinkedHashMap<>();
      for (String mode : modes) {
        List<Trajectory> graded = byMode.getOrDefault(mode, List.of()).stream().filter(e -> e.outcome() != Outcome.INFRA_ERROR).toList();
        if (!graded.isEmpty()) {
          row.put(mode, cell(graded));
        }
      }
      if (row.size() == modes.size()) {
        cells.put(task, row);
      } else {
        excluded.add(task);
      }
    });
  }

  private Cell cell(List<Trajectory> graded) {
    double returns = 0;
    double solved = 0;
    double tokens = 0;
    double seconds = 0;
    for (Trajectory episode : graded) {
      returns += returnOf(episode);
      solved += episode.outcome() == Outcome.RESOLVED ? 1 : 0;
      tokens += episode.reward().tokens();
      seconds += episode.durationMillis() / 1000.0;
    }
    int n = graded.size();
    return new Cell(returns / n, solved / n, tokens / n, seconds / n, graded);
  }

  /** {@code reward - lambda * tokens} of a graded episode. */
  public double returnOf(Trajectory graded) {
    return dev.crucible.trainer.meta.MetaObjective.costAdjustedReturn(graded.reward().total(), graded.reward().tokens(), lambda);
  }

  public List<String> modes() {
    return modes;
  }

  /** The tasks compared, in order. */
  public List<String> tasks() {
    return List.copyOf(cells.keySet());
  }

  /** Tasks left out because some mode has no graded episode of them. */
  public List<String> excluded() {
    return List.copyOf(excluded);
  }

  public Cell cell(String task, String mode) {
    return cells.get(task).get(mode);
  }

  /** The oracle's mode for {@code task}: the best mean return, the earlier mode on a tie. */
  public String oracle(String task) {
    String best = null;
    for (String mode : modes) {
      if (best == null || cell(task, mode).meanReturn() > cell(task, best).meanReturn()) {
        best = mode;
      }
    }
    return best;
  }

  /** The oracle's figures: its regret is 0. */
  public Figures oracleFigures() {
    Map<String, double[]> choice = new LinkedHashMap<>();
    cells.keySet().forEach(task -> choice.put(task, oneHot(oracle(task))));
    return figures(choice);
  }

  /** Always {@code mode}. */
  public Figures fixed(String mode) {
    Map<String, double[]> choice = new LinkedHashMap<>();
    cells.keySet().forEach(task -> choice.put(task, oneHot(mode)));
    return figures(choice);
  }

  /**
   * A chooser that takes mode {@code m} for task {@code t} with probability {@code choice.get(t)[m]}:
   * its expected figures (a deterministic chooser gives one-hot rows).
   */
  public Figures figures(Map<String, double[]> choice) {
    double solved = 0;
    double tokens = 0;
    double seconds = 0;
    double returns = 0;
    double regret = 0;
    for (String task : cells.keySet()) {
      double[] p = choice.get(task);
      if (p == null || p.length != modes.size()) {
        throw new IllegalArgumentException("no distribution over the " + modes.size() + " modes for task " + task);
      }
      double oracle = cell(task, oracle(task)).meanReturn();
      for (int m = 0; m < modes.size(); m++) {
        Cell cell = cell(task, modes.get(m));
        solved += p[m] * cell.solveRate();
        tokens += p[m] * cell.meanTokens();
        seconds += p[m] * cell.meanSeconds();
        returns += p[m] * cell.meanReturn();
        regret += p[m] * (oracle - cell.meanReturn());
      }
    }
    int n = Math.max(1, cells.size());
    return new Figures(solved / n, tokens / n, seconds / n, returns / n, regret);
  }

  /** A distribution that is all on {@code mode}. */
  public double[] oneHot(String mode) {
    int index = modes.indexOf(mode);
    if (index < 0) {
      throw new IllegalArgumentException("unknown mode '" + mode + "'; the modes are " + modes);
    }
    double[] p = new double[modes.size()];
    p[index] = 1;
    return p;
  }
}
