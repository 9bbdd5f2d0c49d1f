package dev.crucible.trainer.rl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.trainer.train.TokenSequences;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MRT's per-turn credit on a sequence worked by hand. */
class ProgressCreditTest {
  // Positions 0..5: template, turn 2's two sampled tokens, template, turn 4's two sampled tokens.
  private static final TokenSequences.Sequence SEQUENCE = new TokenSequences.Sequence("e", new long[] {1, 2, 3, 4, 5, 6},
      new boolean[] {false, true, true, false, true, true}, new float[] {0, -1, -1, 0, -1, -1}, new int[] {-1, 2, 2, -1, 4, 4}, 1.0);

  @Test
  void aTurnsTokensGetTheOutcomeAdvantagePlusAlphaTimesItsProgress() {
    // Outcome advantage -1; turn 2 made progress 0.5, turn 4 none; alpha 0.2: turn 2's tokens -1 + 0.1.
    assertThat(ProgressCredit.advantages(SEQUENCE, -1.0, Map.of(2, 0.5), 0.2)).containsExactly(0f, -0.9f, -0.9f, 0f, -1f, -1f);
    // A step back (progress -0.5) costs its own turn: -1 - 0.1.
    assertThat(ProgressCredit.advantages(SEQUENCE, -1.0, Map.of(4, -0.5), 0.2)).containsExactly(0f, -1f, -1f, 0f, -1.1f, -1.1f);
    assertThat(ProgressCredit.advantages(SEQUENCE, 0.5, Map.of(2, 1.0), 0)).as("alpha 0: the outcome alone")
        .containsExactly(0f, 0.5f, 0.5f, 0f, 0.5f, 0.5f);
  }

  @Test
  void theShapingNamedPicksItsOwnColumnOfEachTurn() {
    Turn look = new Turn(2, "assistant", null, "", "view_file", "{}", null, List.of(7), List.of(-0.5f), 0, 0, 0).withMilestone(0.1);
    Turn edit = new Turn(4, "assistant", null, "", "str_replace_editor", "{}", null, List.of(8), List.of(-0.5f), 0, 0, 0)
        .withProgress(0.5).withMilestone(0.2);
    Trajectory episode = new Trajectory("r/0/t/0", "r", 0, "t", 0, "djl:x", "single", "fast", ModeChooser.CONFIG, List.of(look, edit), "",
        Outcome.UNRESOLVED, "no change", null, null, 0, 1);
    assertThat(Shaping.PROGRESS.byTurn(episode)).containsExactly(Map.entry(4, 0.5));
    assertThat(Shaping.MILESTONES.byTurn(episode)).containsExactly(Map.entry(2, 0.1), Map.entry(4, 0.2));
    assertThat(Shaping.named("milestones")).isEqualTo(Shaping.MILESTONES);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Shaping.named("bonus")).hasMessageContaining("progress or milestones");
  }

  @Test
  void aSampleWithOneAdvantageCarriesItOnEverySampledToken() {
    assertThat(new PolicyGradientObjective.Sample(SEQUENCE, 2.0).advantages()).containsExactly(0f, 2f, 2f, 0f, 2f, 2f);
  }
}
