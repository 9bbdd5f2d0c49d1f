package dev.crucible.rollout.agent;

import dev.crucible.data.TaskInstance;
import dev.crucible.data.Turn;
import dev.crucible.reward.signals.Milestones;
import dev.crucible.reward.signals.ProgressRewards;
import dev.crucible.rollout.evaluation.EvaluationResult;
import dev.crucible.rollout.evaluation.Evaluator;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Grades an episode's working tree at its edit boundaries, for MRT's progress reward ({@link
 * ProgressRewards}). At a boundary the agent's change is taken at once (between two tool calls) and graded,
 * tests only, in a fresh sandbox on a thread of the grader's own while the agent goes on. At most {@code
 * maxGradings} boundaries are graded per episode; later ones get no progress. A change equal to the last
 * one taken is not graded again: its {@code J} is the same, so its progress is 0. The same gradings give
 * the plan's fixed milestone bonuses ({@link Milestones}).
 */
final class ProgressGrader implements AutoCloseable {
  /** The tools that only read or search the code: a call of one before any change is the planning milestone. */
  private static final Set<String> LOOKING_TOOLS = Set.of("view_directory", "search_files", "search_code", "view_file");

  private final Evaluator evaluator;
  private final TaskInstance task;
  private final Path repository;
  private final int maxGradings;
  private final ExecutorService gradings;
  private final List<Integer> turns = new ArrayList<>();
  private final List<CompletableFuture<Double>> scores = new ArrayList<>();
  private final List<Boolean> changed = new ArrayList<>();
  private String lastChange;
  private int graded;

  /** @param evaluator grades a change by the task's tests */
  ProgressGrader(Evaluator evaluator, TaskInstance task, Path repository, int maxGradings) {
    this.evaluator = evaluator;
    this.task = task;
    this.repository = repository;
    this.maxGradings = maxGradings;
    this.gradings = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "crucible-progress-" + task.instanceId());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The tool call of assistant turn {@code turn} changed the tree in the agent's {@code sandbox}, or ran the tests. */
  void boundary(int turn, Sandbox sandbox) {
    String change;
    try {
      change = sandbox.diff();
    } catch (SandboxException e) {
      record(turn, false, CompletableFuture.completedFuture(null)); // Not measured: no progress, never a penalty.
      return;
    }
    if (change.equals(lastChange)) {
      record(turn, changed.get(changed.size() - 1), scores.get(scores.size() - 1));
      return;
    }
    if (change.isBlank()) { // The base tree, whose FAIL_TO_PASS tests fail: nothing to grade.
      lastChange = change;
      record(turn, false, CompletableFuture.completedFuture(0.0));
      return;
    }
    if (graded == maxGradings) {
      return;
    }
    graded++;
    lastChange = change;
    record(turn, true, CompletableFuture.supplyAsync(() -> score(change), gradings));
  }

  private void record(int turn, boolean treeChanged, CompletableFuture<Double> score) {
    turns.add(turn);
    changed.add(treeChanged);
    scores.add(score);
  }

  /** {@code J} of the tree with {@code change}, or {@code null} when the infrastructure failed to grade it. */
  private Double score(String change) {
    EvaluationResult result = evaluator.evaluate(task, repository, change, 0, 0);
    return switch (result.outcome()) {
      case RESOLVED, UNRESOLVED -> ProgressRewards.score(result.tests());
      case TIMEOUT, EMPTY_PATCH -> 0.0; // As the final grading counts them: a change whose tests hang passes nothing.
      case PATCH_FAILED, ERROR -> null;
    };
  }

  /**
   * {@code episode} with each graded boundary's progress and each milestone's bonus credited to its
   * assistant turn, once every grading has ended, and their sums.
   *
   * @param resolved whether the episode's final patch resolved the task (the solve milestone)
   */
  Credited credit(List<Turn> episode, boolean resolved) {
    List<Double> known = new ArrayList<>();
    for (CompletableFuture<Double> score : scores) {
      try {
        known.add(score.join());
      } catch (CompletionException e) {
        known.add(null); // The grading itself failed: not measured.
      }
    }
    List<Double> steps = ProgressRewards.steps(known);
    Map<Integer, Double> byTurn = new HashMap<>();
    double total = 0;
    for (int i = 0; i < steps.size(); i++) {
      Double step = steps.get(i);
      if (step != null) {
        byTurn.merge(turns.get(i), step, Double::sum);
        total += step;
      }
    }
    Map<Integer, Double> bonuses = milestones(episode, known, resolved);
    List<Turn> credited = new ArrayList<>(episode.size());
    for (Turn turn : episode) {
      credited.add(turn.withProgress(byTurn.get(turn.index())).withMilestone(bonuses.get(turn.index())));
    }
    return new Credited(credited, total, bonuses.values().stream().mapToDouble(Double::doubleValue).sum());
  }

  private Map<Integer, Double> milestones(List<Turn> episode, List<Double> known, boolean resolved) {
    List<Integer> looking = new ArrayList<>();
    Integer last = null;
    for (Turn turn : episode) {
      if (turn.role().equals("assistant")) {
        last = turn.index();
        if (LOOKING_TOOLS.contains(turn.toolName())) {
          looking.add(turn.index());
        }
      }
    }
    List<Milestones.Boundary> boundaries = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      boundaries.add(new Milestones.Boundary(turns.get(i), changed.get(i), known.get(i)));
    }
    return Milestones.bonuses(looking, boundaries, resolved ? last : null);
  }

  /**
   * An episode's turns with their progress and milestones, the progress reward of the whole episode and
   * its milestone reward.
   */
  record Credited(List<Turn> turns, double progress, double milestones) {}

  @Override
  public void close() {
    gradings.shutdownNow();
  }
}
