package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenSequencesTest {

  @Test
  void aMultiTurnEpisodeIsOneSequenceWithOnlySampledTokensTrained() {
    // Turn 1: prompt 1 2 3, sampled 10 11. Turn 3 continues with 4 5 (the tool response), samples 12.
    // Turn 5 starts afresh (a new phase): prompt 6 7, samples 13 14.
    Trajectory episode = episode(
        assistant(1, List.of(1, 2, 3), false, List.of(10, 11), List.of(-0.5f, -0.25f)),
        tool(2),
        assistant(3, List.of(4, 5), true, List.of(12), List.of(-1f)),
        tool(4),
        assistant(5, List.of(6, 7), false, List.of(13, 14), List.of(-2f, -3f)));
    assertThat(TokenSequences.recorded(episode)).isTrue();
    List<TokenSequences.Sequence> sequences = TokenSequences.of(episode);
    assertThat(sequences).hasSize(2);
    TokenSequences.Sequence first = sequences.get(0);
    assertThat(first.ids()).containsExactly(1, 2, 3, 10, 11, 4, 5, 12);
    assertThat(first.sampled()).containsExactly(false, false, false, true, true, false, false, true);
    assertThat(first.rolloutLogprobs()).containsExactly(0f, 0f, 0f, -0.5f, -0.25f, 0f, 0f, -1f);
    assertThat(first.turns()).containsExactly(-1, -1, -1, 1, 1, -1, -1, 3);
    assertThat(sequences.get(1).ids()).containsExactly(6, 7, 13, 14);
    assertThat(sequences.get(1).sampled()).containsExactly(false, false, true, true);
    assertThat(first.tokens().assistant()).isEqualTo(first.sampled());
  }

  @Test
  void aTurnThatSampledNothingEndsTheSequence() {
    // Turn 3 could not be generated (its prompt overflowed the context): no tokens, no sampling.
    Trajectory episode = episode(
        assistant(1, List.of(1, 2), false, List.of(10), List.of(-0.5f)),
        new Turn(3, "assistant", null, "", null, null, null, List.of(), List.of(), 0, 0, 0),
        assistant(5, List.of(3, 4), false, List.of(11), List.of(-1f)));
    assertThat(TokenSequences.recorded(episode)).isTrue();
    assertThat(TokenSequences.of(episode)).extracting(s -> s.ids().length).containsExactly(3, 3);
  }

  @Test
  void aScriptedEpisodeHasNoTokensToTrainOnAndIsRefusedByName() {
    Trajectory scripted = episode(new Turn(1, "assistant", null, "I look.", "view_file", "{}", null, List.of(), List.of(), 0, 0, 0));
    assertThat(TokenSequences.recorded(scripted)).isFalse();
    assertThatThrownBy(() -> TokenSequences.of(scripted)).hasMessageContaining("episode r/0/t/0, turn 1: no token ids were recorded");
  }

  private static Turn assistant(int index, List<Integer> prompt, boolean extendsPrevious, List<Integer> sampled, List<Float> logprobs) {
    return new Turn(index, "assistant", null, "", null, null, null, sampled, logprobs, 0, 0, 0,
        new Turn.Sampling(prompt, extendsPrevious, false, 1.0, 1.0, "[]"));
  }

  private static Turn tool(int index) {
    return new Turn(index, "tool", null, "", "view_file", null, "ok", List.of(), List.of(), 0, 0, 0);
  }

  private static Trajectory episode(Turn... turns) {
    List<Turn> all = new java.util.ArrayList<>();
    all.add(new Turn(0, "system", null, "You fix bugs.", null, null, null, List.of(), List.of(), 0, 0, 0));
    all.addAll(List.of(turns));
    return new Trajectory("r/0/t/0", "r", 0, "t", 0, "djl:x", "single", "standard", ModeChooser.CONFIG, all, "", Outcome.UNRESOLVED, "no change", null,
        null, 0, 1);
  }
}
