package dev.crucible.jobs.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.ModeDecision;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.Trajectory;
import dev.crucible.trainer.meta.MetaController;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The meta-controller's draws and decisions in auto mode, on episodes made up for the purpose. */
class MetaModesTest {
  private static final List<String> MODES = List.of("fast", "standard", "deep");
  private static final TaskFeatures.Table FEATURES = new TaskFeatures.Table(TaskFeatures.names(0),
      Map.of("a", new float[] {0.5f, 0.2f, 0.7f, 0, 0, 0, 0, 1}, "b", new float[] {0.6f, 0.2f, 1.1f, 1, 0, 0, 0, 0}));

  private static Trajectory episode(String task, int sample, String mode, ModeChooser chooser, Outcome outcome, double reward, long tokens) {
    RewardBreakdown breakdown = outcome == Outcome.INFRA_ERROR ? null
        : new RewardBreakdown(outcome == Outcome.RESOLVED, outcome == Outcome.RESOLVED ? 1 : 0, 1, null, 0, tokens, 2, 0, 0, reward);
    return new Trajectory(EpisodeId.of("r", 3, task, sample), "r", 3, task, sample, "djl:p", "single", mode, chooser, List.of(), "", outcome,
        outcome == Outcome.INFRA_ERROR ? "daemon gone" : null, breakdown, null, 0, 1);
  }

  @Test
  void drawsAreFixedByIterationTaskAndSampleAndCoverTheModes() {
    try (NDManager manager = NDManager.newBaseManager();
        MetaController controller = MetaController.create(MODES, FEATURES.names(), new MetaController.Settings(4, 0.03, 1, 0.03, 0.5, 1), manager)) {
      MetaModes modes = new MetaModes(controller, FEATURES, 0.001, 7);
      assertThat(modes.draw(2, "a", 5)).isEqualTo(modes.draw(2, "a", 5));
      Set<String> drawn = new HashSet<>();
      for (int sample = 0; sample < 30; sample++) {
        drawn.add(modes.draw(2, "a", sample));
      }
      assertThat(drawn).as("an untrained controller draws every mode").containsExactlyInAnyOrderElementsOf(MODES);
      var choice = modes.assignment(2).choose(
          new dev.crucible.data.TaskInstance("a", "o/r", "c", "p", "", "", "", List.of("t"), List.of(), "0", null, null, null, null, "pytest"), 5);
      assertThat(choice.mode()).isEqualTo(modes.draw(2, "a", 5));
      assertThat(choice.chooser()).isEqualTo(ModeChooser.META_CONTROLLER);
    }
  }

  @Test
  void decisionsCoverTheControllersEpisodesAndOnlyGradedOnesTeachIt() {
    try (NDManager manager = NDManager.newBaseManager();
        MetaController controller = MetaController.create(MODES, FEATURES.names(), new MetaController.Settings(4, 0.03, 1, 0.03, 0.5, 1), manager)) {
      MetaModes modes = new MetaModes(controller, FEATURES, 0.001, 7);
      List<ModeDecision> decisions = modes.decisions(3, List.of(
          episode("a", 0, "fast", ModeChooser.META_CONTROLLER, Outcome.RESOLVED, 1.2, 200),
          episode("b", 0, "deep", ModeChooser.META_CONTROLLER, Outcome.INFRA_ERROR, 0, 0),
          episode("b", 1, "standard", ModeChooser.CONFIG, Outcome.UNRESOLVED, 0, 50)));
      assertThat(decisions).as("the config's episode is no decision of the controller").hasSize(2);
      ModeDecision graded = decisions.get(0);
      assertThat(graded.chosenMode()).isEqualTo("fast");
      assertThat(graded.costAdjustedReturn()).as("1.2 - 0.001 * 200").isCloseTo(1.0, within(1e-12));
      assertThat(graded.probabilities()).hasSize(3).allSatisfy(p -> assertThat(p).isCloseTo(1 / 3f, within(1e-6f)));
      assertThat(decisions.get(1).costAdjustedReturn()).as("an infra error returns nothing").isNull();
      assertThat(modes.learn(List.of(decisions.get(1)))).as("nothing graded, nothing learned").isNull();
      assertThat(controller.updates()).isZero();
      MetaController.Figures figures = modes.learn(decisions);
      assertThat(figures.decisions()).isEqualTo(1);
      assertThat(figures.meanReturn()).isCloseTo(1.0, within(1e-6));
      assertThat(controller.updates()).isEqualTo(1);
      assertThat(controller.probabilities(FEATURES.of("a"))[0]).as("fast paid on task a").isGreaterThan(1 / 3f);
    }
  }
}
