package dev.crucible.jobs.meta;

import dev.crucible.data.ModeChooser;
import dev.crucible.data.ModeDecision;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.jobs.rollout.ModeAssignment;
import dev.crucible.trainer.meta.MetaController;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The meta-controller choosing modes for a run: in {@code auto} mode it draws each episode's mode from its
 * distribution for the task (seeded by the run's seed, the iteration, the task and the sample, so a
 * resumed rollout draws the same modes), and after the episodes it learns from their returns, {@code
 * reward - lambda * tokens}. Infrastructure errors are recorded but never learned from.
 */
public final class MetaModes {
  private final MetaController controller;
  private final TaskFeatures.Table features;
  private final double lambda;
  private final long seed;

  /**
   * @param lambda the price of a token in the controller's return
   * @param seed varies the draws
   */
  public MetaModes(MetaController controller, TaskFeatures.Table features, double lambda, long seed) {
    if (!controller.features().equals(features.names())) {
      throw new IllegalArgumentException("the meta-controller reads " + controller.features() + ", the tasks have " + features.names());
    }
    this.controller = controller;
    this.features = features;
    this.lambda = lambda;
    this.seed = seed;
  }

  public MetaController controller() {
    return controller;
  }

  /** Iteration {@code iteration}'s draws: each episode's mode from the controller's distribution for its task. */
  public ModeAssignment assignment(int iteration) {
    return (task, sample) -> new ModeAssignment.Choice(draw(iteration, task.instanceId(), sample), ModeChooser.META_CONTROLLER);
  }

  /** The mode drawn for sample {@code sample} of task {@code taskId} in iteration {@code iteration}. */
  public String draw(int iteration, String taskId, int sample) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + iteration * 10_007L + taskId.hashCode() * 31L + sample);
    return controller.modes().get(MetaController.sample(controller.probabilities(features.of(taskId)), random));
  }

  /**
   * The decision behind each of {@code episodes} whose mode the controller chose, as it stands now (the
   * state that chose them), with the episode's return when it was graded.
   */
  public List<ModeDecision> decisions(int iteration, List<Trajectory> episodes) {
    List<ModeDecision> decisions = new ArrayList<>();
    for (Trajectory episode : episodes) {
      if (episode.modeChooser() == ModeChooser.META_CONTROLLER) {
        decisions.add(decision(iteration, episode));
      }
    }
    return decisions;
  }

  /** The decision to run {@code episode} in its mode, by the controller as it stands, with its return when graded. */
  public ModeDecision decision(int iteration, Trajectory episode) {
    float[] taskFeatures = features.of(episode.taskId());
    float[] probabilities = controller.probabilities(taskFeatures);
    ModeDecision decision = new ModeDecision(episode.episodeId(), episode.runId(), iteration, episode.taskId(), episode.sampleIndex(),
        boxed(taskFeatures), controller.modes(), boxed(probabilities), episode.mode(), controller.baseline(taskFeatures), null, null, null);
    return episode.outcome() == Outcome.INFRA_ERROR || episode.reward() == null ? decision
        : decision.withReturn(episode.reward().total(), episode.reward().tokens(), lambda);
  }

  /** One update on the decisions that have a return; {@code null} when none has. */
  public MetaController.Figures learn(List<ModeDecision> decisions) {
    List<MetaController.Decision> graded = new ArrayList<>();
    for (ModeDecision decision : decisions) {
      if (decision.costAdjustedReturn() != null) {
        graded.add(new MetaController.Decision(unboxed(decision.features()), controller.modes().indexOf(decision.chosenMode()),
            decision.costAdjustedReturn()));
      }
    }
    return graded.isEmpty() ? null : controller.update(graded);
  }

  private static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float value : values) {
      list.add(value);
    }
    return list;
  }

  private static float[] unboxed(List<Float> values) {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }
}
