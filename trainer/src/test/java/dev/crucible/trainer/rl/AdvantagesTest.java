package dev.crucible.trainer.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every expected value here was worked out by hand; the arithmetic is in the comments. */
class AdvantagesTest {

  @Test
  void grpoDividesTheCenteredRewardsByTheSampleStandardDeviation() {
    // Rewards 1, 0, 0, 1: mean 0.5; squares 4 x 0.25 = 1, over K - 1 = 3: std sqrt(1/3) = 0.5773503.
    // (1 - 0.5) / 0.5773503 = 0.8660254.
    double[] advantages = GroupAdvantages.grpo(new double[] {1, 0, 0, 1}, true);
    assertThat(advantages).containsExactly(new double[] {0.8660254, -0.8660254, -0.8660254, 0.8660254}, within(1e-5));
  }

  @Test
  void drGrpoOnlyCentersTheRewards() {
    // Rewards 1.2, 0, 0, 0: mean 0.3; 1.2 - 0.3 = 0.9, 0 - 0.3 = -0.3.
    assertThat(GroupAdvantages.grpo(new double[] {1.2, 0, 0, 0}, false))
        .containsExactly(new double[] {0.9, -0.3, -0.3, -0.3}, within(1e-12));
  }

  @Test
  void rlooSubtractsTheMeanOfTheOthers() {
    // Rewards 1, 0, 0, 1: for a 1, the others sum 1 over 3: 1 - 1/3 = 0.6666667; for a 0: 0 - 2/3.
    assertThat(GroupAdvantages.rloo(new double[] {1, 0, 0, 1}))
        .containsExactly(new double[] {2.0 / 3, -2.0 / 3, -2.0 / 3, 2.0 / 3}, within(1e-12));
    // Two samples: each one's baseline is the other: 3 - 1 = 2, 1 - 3 = -2.
    assertThat(GroupAdvantages.rloo(new double[] {3, 1})).containsExactly(2, -2);
  }

  @Test
  void aUnanimousGroupHasZeroAdvantagesAndNoNaN() {
    // Std 0: (r - mean) is 0, divided by the epsilon alone: 0, never NaN.
    assertThat(GroupAdvantages.grpo(new double[] {0.5, 0.5, 0.5}, true)).containsExactly(0, 0, 0);
    assertThat(GroupAdvantages.rloo(new double[] {0.5, 0.5, 0.5})).containsExactly(0, 0, 0);
    assertThat(GroupAdvantages.unanimous(new double[] {0.5, 0.5, 0.5})).isTrue();
    assertThat(GroupAdvantages.unanimous(new double[] {0.5, 0.5, 0.4})).isFalse();
  }

  @Test
  void aGroupOfOneIsRefused() {
    assertThatThrownBy(() -> GroupAdvantages.rloo(new double[] {1})).hasMessageContaining("at least 2 samples");
  }

  @Test
  void gaeWithGammaAndLambdaOneIsTheRewardToGoMinusTheValue() {
    // Rewards 0, 0, 1; values 0.5 each: every advantage 1 - 0.5, every return 1.
    Gae.Estimate estimate = Gae.estimate(new double[] {0, 0, 1}, new double[] {0.5, 0.5, 0.5}, 1, 1);
    assertThat(estimate.advantages()).containsExactly(new double[] {0.5, 0.5, 0.5}, within(1e-12));
    assertThat(estimate.returns()).containsExactly(new double[] {1, 1, 1}, within(1e-12));
  }

  @Test
  void gaeDiscountsAndBlendsTheTemporalDifferences() {
    // gamma 0.9, lambda 0.5, values 0.5 each, rewards 0, 0, 1:
    // t=2: delta = 1 + 0.9 * 0 - 0.5 = 0.5; A = 0.5; R = 1.
    // t=1: delta = 0 + 0.9 * 0.5 - 0.5 = -0.05; A = -0.05 + 0.45 * 0.5 = 0.175; R = 0.675.
    // t=0: delta = -0.05; A = -0.05 + 0.45 * 0.175 = 0.02875; R = 0.52875.
    Gae.Estimate estimate = Gae.estimate(new double[] {0, 0, 1}, new double[] {0.5, 0.5, 0.5}, 0.9, 0.5);
    assertThat(estimate.advantages()).containsExactly(new double[] {0.02875, 0.175, 0.5}, within(1e-12));
    assertThat(estimate.returns()).containsExactly(new double[] {0.52875, 0.675, 1}, within(1e-12));
  }

  @Test
  void infrastructureFailuresAreRenormalizedAwayOrMaskTheGroup() {
    List<List<Groups.Member>> groups = List.of(
        // Lost one member: RLOO over the 3 scored ones. 1 - (0 + 0) / 2 = 1; 0 - (1 + 0) / 2 = -0.5.
        List.of(member("a1", 1.0), member("a2", 0.0), member("a3", null), member("a4", 0.0)),
        // One scored member left: masked, nothing from it.
        List.of(member("b1", 1.0), member("b2", null)),
        // All equal: advantage 0, counted as teaching nothing.
        List.of(member("c1", 0.2), member("c2", 0.2)),
        // An agent error is scored like any other sample: 0.5 - (-0.1) = 0.6 and back.
        List.of(member("d1", 0.5), member("d2", -0.1)));
    Groups.Result result = Groups.advantages(groups, Algorithm.RLOO, false);
    assertThat(result.advantages()).containsOnlyKeys("a1", "a2", "a4", "c1", "c2", "d1", "d2");
    assertThat(result.advantages().get("a1")).isCloseTo(1.0, within(1e-12));
    assertThat(result.advantages().get("a2")).isCloseTo(-0.5, within(1e-12));
    assertThat(result.advantages().get("d1")).isCloseTo(0.6, within(1e-12));
    assertThat(result.advantages().get("c1")).isZero();
    assertThat(Arrays.asList(result.groups(), result.renormalized(), result.masked(), result.unanimous(), result.learning()))
        .containsExactly(4, 1, 1, 1, 2);
  }

  @Test
  void algorithmsAndAggregationsAreNamedInConfigs() {
    assertThat(Algorithm.named("grpo")).isEqualTo(Algorithm.GRPO);
    assertThat(Algorithm.named("ppo").usesValueHead()).isTrue();
    assertThat(Algorithm.named("rloo").usesValueHead()).isFalse();
    assertThatThrownBy(() -> Algorithm.named("dpo")).hasMessageContaining("use grpo, rloo or ppo");
    assertThat(Aggregation.named("sequence_sum")).isEqualTo(Aggregation.SEQUENCE_SUM);
    assertThatThrownBy(() -> Aggregation.named("mean")).hasMessageContaining("token_mean or sequence_sum");
    assertThatThrownBy(() -> Algorithm.PPO.groupAdvantages(new double[] {1, 0}, true)).hasMessageContaining("GAE");
  }

  private static Groups.Member member(String id, Double reward) {
    return new Groups.Member(id, reward);
  }
}
