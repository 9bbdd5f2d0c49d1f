package dev.crucible.jobs.meta;

import ai.djl.ndarray.NDManager;
import dev.crucible.data.ModeDecision;
import dev.crucible.data.RunLayout;
import dev.crucible.data.Trajectory;
import dev.crucible.jobs.rollout.ModeAssignment;
import dev.crucible.trainer.meta.MetaController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * An RL run's meta-controller in {@code auto} mode, across iterations: {@code OUT/meta/iteration-i} is
 * the controller that chooses iteration {@code i}'s modes; after iteration {@code i}'s rollout it learns
 * from the episodes' returns and is saved as {@code iteration-(i+1)}, and the iteration's decisions go to
 * {@code OUT/mode_decisions/iteration=i}. A resumed run opens the controller of the iteration it resumes
 * at, so it draws and learns exactly as a run never stopped.
 */
public final class AutoModes implements AutoCloseable {
  static final String META = RunLayout.META;

  private final Path output;
  private final NDManager manager;
  private final MetaModes modes;
  private final Configuration conf;
  private final Consumer<String> progress;

  private AutoModes(Path output, NDManager manager, MetaModes modes, Configuration conf, Consumer<String> progress) {
    this.output = output;
    this.manager = manager;
    this.modes = modes;
    this.conf = conf;
    this.progress = progress;
  }

  /**
   * The controller that chooses iteration {@code first}'s modes: saved by the run, or a fresh one at
   * iteration 0.
   *
   * @param modeNames the modes it chooses among, in the catalog's order
   * @throws IllegalStateException when a resumed run has no controller for the iteration it resumes at
   */
  public static AutoModes open(Path output, int first, List<String> modeNames, TaskFeatures.Table features, MetaController.Settings settings,
      double lambda, long seed, Configuration conf, Consumer<String> progress) {
    Path saved = directory(output, first);
    NDManager manager = NDManager.newBaseManager();
    try {
      MetaController controller;
      if (Files.isRegularFile(saved.resolve(MetaController.STATE))) {
        controller = MetaController.load(saved, modeNames, features.names(), settings, manager);
      } else if (first == 0) {
        controller = MetaController.create(modeNames, features.names(), settings, manager);
        controller.save(saved);
      } else {
        throw new IllegalStateException(output + " resumes at iteration " + first + " but has no meta-controller for it in " + saved);
      }
      return new AutoModes(output, manager, new MetaModes(controller, features, lambda, seed), conf, progress);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Where the controller that chooses iteration {@code iteration}'s modes is saved. */
  public static Path directory(Path output, int iteration) {
    return output.resolve(META).resolve(String.format("iteration-%06d", iteration));
  }

  /** Iteration {@code iteration}'s draws. */
  public ModeAssignment assignment(int iteration) {
    return modes.assignment(iteration);
  }

  /**
   * Records iteration {@code iteration}'s decisions with their returns, learns from them, and saves the
   * controller that chooses the next iteration's modes.
   */
  public void learn(int iteration, List<Trajectory> episodes) {
    List<ModeDecision> decisions = modes.decisions(iteration, episodes);
    ModeDecisions.write(output, iteration, decisions, conf);
    MetaController.Figures figures = modes.learn(decisions);
    modes.controller().save(directory(output, iteration + 1));
    Map<String, Integer> counts = ModeDecisions.counts(decisions);
    progress.accept(figures == null
        ? String.format("meta iteration %d: modes %s; no graded episode to learn from", iteration, counts)
        : String.format("meta iteration %d: modes %s, mean return %.4f, mean advantage %.4f, policy loss %.4f, baseline loss %.4f, entropy %.3f",
            iteration, counts, figures.meanReturn(), figures.meanAdvantage(), figures.policyLoss(), figures.baselineLoss(), figures.entropy()));
  }

  @Override
  public void close() {
    modes.controller().close();
    manager.close();
  }
}
