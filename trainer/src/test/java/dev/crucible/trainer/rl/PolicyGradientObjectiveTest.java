package dev.crucible.trainer.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.crucible.data.TrainingStep;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.Gradients;
import dev.crucible.trainer.train.Objective;
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.Packer;
import dev.crucible.trainer.train.StepPlan;
import dev.crucible.trainer.train.TokenLogprobs;
import dev.crucible.trainer.train.TokenSequences;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real (tiny) model updated by the RL objective: the first step's loss worked by hand, then the direction it learns. */
class PolicyGradientObjectiveTest {
  private static final int LENGTH = 8;
  private static final long[] GOOD = {5, 6, 7, 8, 9};
  private static final long[] BAD = {5, 6, 7, 10, 11};

  @Test
  void sampledTokensWithPositiveAdvantageGainProbabilityAndNegativeOnesLoseIt() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Qwen2Model policy = Qwen2Model.random(TinyModels.config(64), 3, manager);
      Qwen2Model reference = Qwen2Model.random(TinyModels.config(64), 3, manager);
      double temperature = 1.0;
      List<PolicyGradientObjective.Sample> samples = List.of(
          new PolicyGradientObjective.Sample(sequence(policy, GOOD, temperature), 1.0),
          new PolicyGradientObjective.Sample(sequence(policy, BAD, temperature), -0.5));
      double goodBefore = sampledLogprob(policy, GOOD);
      double badBefore = sampledLogprob(policy, BAD);
      StepPlan plan = StepPlan.of(2, 2, 1, 6, 1);
      PolicyGradientObjective objective = new PolicyGradientObjective(policy, reference, samples, LENGTH, plan,
          new PolicyGradientObjective.Settings(temperature, new PolicyLosses.Clip(0.2, 0.28, 3), 0.02, 0.0, 2.0,
              Aggregation.TOKEN_MEAN, 2));
      Map<String, NDArray> parameters = policy.parameters();
      parameters.values().forEach(p -> p.setRequiresGradient(true));
      try (AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0, manager)) {
        for (int step = 1; step <= plan.totalSteps(); step++) {
          Objective.StepResult result = objective.accumulate(step);
          if (step == 1) {
            // Old = current at the first step: every ratio is 1, every importance weight 1 (rollout = old),
            // the reference equals the policy (k3 = 0). Loss = -(1 + 1 - 0.5 - 0.5) / 4 counted tokens = -0.25.
            assertThat(result.loss()).isCloseTo(-0.25, within(1e-5));
            TrainingStep.PolicyFigures figures = result.policy();
            assertThat(figures.clipFraction()).isZero();
            assertThat(figures.klK3()).isCloseTo(0, within(1e-6));
            assertThat(figures.rolloutKl()).isCloseTo(0, within(1e-6));
            assertThat(figures.entropy()).isPositive();
            assertThat(result.tokens()).isEqualTo(2 * (GOOD.length - 1));
          }
          try (Gradients gradients = Gradients.of(parameters)) {
            optimizer.update(parameters, gradients.byName(), 1e-2, 1.0);
            gradients.zero();
          }
        }
        Objective.StepResult last = objective.accumulate(plan.totalSteps());
        assertThat(last.policy().klK3()).as("the policy moved away from the reference").isPositive();
      }
      assertThat(sampledLogprob(policy, GOOD)).isGreaterThan(goodBefore);
      assertThat(sampledLogprob(policy, BAD)).isLessThan(badBefore);
    }
  }

  @Test
  void perTokenAdvantagesReachTheirOwnTokens() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Qwen2Model policy = Qwen2Model.random(TinyModels.config(64), 3, manager);
      // GOOD's sampled tokens (positions 3 and 4) carry 1 and 3, BAD's -0.5 each. At the first step every ratio
      // and weight is 1 and there is no reference: loss = -(1 + 3 - 0.5 - 0.5) / 4 tokens = -0.75.
      List<PolicyGradientObjective.Sample> samples = List.of(
          new PolicyGradientObjective.Sample(sequence(policy, GOOD, 1.0), new float[] {0, 0, 0, 1, 3}),
          new PolicyGradientObjective.Sample(sequence(policy, BAD, 1.0), -0.5));
      PolicyGradientObjective objective = new PolicyGradientObjective(policy, null, samples, LENGTH, StepPlan.of(2, 2, 1, 6, 1),
          new PolicyGradientObjective.Settings(1.0, new PolicyLosses.Clip(0.2, 0.28, 3), 0, 0.0, 2.0, Aggregation.TOKEN_MEAN, 2));
      policy.parameters().values().forEach(p -> p.setRequiresGradient(true));
      assertThat(objective.accumulate(1).loss()).isCloseTo(-0.75, within(1e-5));
    }
  }

  @Test
  void theDumpedTokensRecomputeEachStepsLoss() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Qwen2Model policy = Qwen2Model.random(TinyModels.config(64), 5, manager);
      Qwen2Model reference = Qwen2Model.random(TinyModels.config(64), 6, manager);
      // The sampler's log-probs differ from the trainer's by 0.3, so the importance weights are not 1.
      List<PolicyGradientObjective.Sample> samples = List.of(
          new PolicyGradientObjective.Sample(shifted(sequence(policy, GOOD, 1.0), 0.3f), 1.0),
          new PolicyGradientObjective.Sample(shifted(sequence(policy, BAD, 1.0), -0.3f), -2.0));
      PolicyLosses.Clip clip = new PolicyLosses.Clip(0.2, 0.28, 3);
      double beta = 0.05;
      double cap = 1.2;
      StepPlan plan = StepPlan.of(2, 2, 3, 0, 1);
      java.util.Map<Integer, List<dev.crucible.data.DumpedToken>> dumped = new java.util.TreeMap<>();
      PolicyGradientObjective objective = new PolicyGradientObjective(policy, reference, samples, LENGTH, plan,
          new PolicyGradientObjective.Settings(1.0, clip, beta, 0.0, cap, Aggregation.TOKEN_MEAN, 1),
          new PolicyGradientObjective.TokenDump() {
            @Override
            public boolean wants(int step) {
              return step <= 2;
            }

            @Override
            public void write(int step, List<dev.crucible.data.DumpedToken> tokens) {
              dumped.put(step, tokens);
            }
          });
      Map<String, NDArray> parameters = policy.parameters();
      parameters.values().forEach(p -> p.setRequiresGradient(true));
      double[] losses = new double[plan.totalSteps() + 1];
      try (AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0, manager)) {
        for (int step = 1; step <= plan.totalSteps(); step++) {
          losses[step] = objective.accumulate(step).loss();
          try (Gradients gradients = Gradients.of(parameters)) {
            optimizer.update(parameters, gradients.byName(), 5e-2, 1.0);
            gradients.zero();
          }
        }
      }
      assertThat(dumped).containsOnlyKeys(1, 2);
      for (int step = 1; step <= 2; step++) {
        List<dev.crucible.data.DumpedToken> tokens = dumped.get(step);
        assertThat(tokens).hasSize(2 * (GOOD.length - 1));
        assertThat(tokens.stream().filter(dev.crucible.data.DumpedToken::lossMask).count()).isEqualTo(4);
        double sum = 0;
        for (dev.crucible.data.DumpedToken token : tokens) {
          assertThat(token.stepLoss()).isEqualTo(losses[step]);
          if (!token.lossMask()) {
            assertThat(token.rolloutLogprob()).isNull();
            assertThat(token.turn()).isNull();
            continue;
          }
          assertThat(token.turn()).isEqualTo(1);
          // PPO's clipped surrogate with DAPO's clip-higher and the dual clip, times the truncated
          // importance weight, plus beta k3 to the reference; a mean over the step's counted tokens.
          double ratio = Math.exp(token.currentLogprob() - token.oldLogprob());
          double a = token.advantage();
          double surrogate = Math.max(-a * ratio, -a * Math.min(Math.max(ratio, 1 - clip.low()), 1 + clip.high()));
          if (a < 0) {
            surrogate = Math.min(surrogate, -clip.dual() * a);
          }
          double weight = Math.min(Math.exp(token.oldLogprob() - token.rolloutLogprob()), cap);
          double r = token.referenceLogprob() - token.currentLogprob();
          sum += surrogate * weight + beta * (Math.exp(r) - r - 1);
        }
        assertThat(sum / 4).as("step " + step).isCloseTo(losses[step], within(1e-5));
      }
      assertThat(dumped.get(2).stream().filter(t -> t.lossMask() && Math.abs(t.currentLogprob() - t.oldLogprob()) > 1e-3))
          .as("the second step runs on the updated policy").isNotEmpty();
    }
  }

  @Test
  void ppoFitsTheValueHeadToTheReturnsAndItsFirstLossIsWorkedByHand() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Qwen2Model policy = Qwen2Model.random(TinyModels.config(64), 3, manager);
      ValueHead head = ValueHead.zeros(policy.config().hiddenSize(), manager);
      List<PackedRow> rows = new java.util.ArrayList<>();
      List<PolicyGradientObjective.TokenSample> samples = ppoSamples(policy, rows, row -> {
        // Counted positions 2 and 3 (tokens 3 and 4): advantages 1 and -1; returns 2 and -2.
        float[] advantages = new float[row.length()];
        float[] returns = new float[row.length()];
        advantages[2] = 1;
        advantages[3] = -1;
        returns[2] = 2;
        returns[3] = -2;
        return new float[][] {advantages, returns};
      });
      PolicyGradientObjective.Scores old = PolicyGradientObjective.score(policy, head, rows, 1.0, 2);
      assertThat(old.values()[0]).containsOnly(0f);
      StepPlan plan = StepPlan.of(2, 2, 40, 0, 1);
      PolicyGradientObjective objective = PolicyGradientObjective.ppo(policy, head, null, samples, old, plan,
          new PolicyGradientObjective.Settings(1.0, new PolicyLosses.Clip(0.2, 0.28, 0), 0, 0, 2.0, Aggregation.TOKEN_MEAN, 2),
          new PolicyGradientObjective.ValueSettings(0.5, 0), null);
      Map<String, NDArray> parameters = new java.util.LinkedHashMap<>(policy.parameters());
      parameters.putAll(head.parameters());
      parameters.values().forEach(p -> p.setRequiresGradient(true));
      try (AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0, manager)) {
        for (int step = 1; step <= plan.totalSteps(); step++) {
          Objective.StepResult result = objective.accumulate(step);
          if (step == 1) {
            // Ratios 1: the surrogate is -(1 - 1 + 1 - 1) / 4 = 0. Values 0: the value loss is 0.5 (4 + 4 + 4 + 4) / 4 = 2,
            // weighted 0.5: the loss is 1.
            assertThat(result.loss()).isCloseTo(1.0, within(1e-5));
            assertThat(result.policy().valueLoss()).isCloseTo(2.0, within(1e-5));
            assertThat(result.policy().klK3()).as("no reference: no KL to report").isNull();
          }
          try (Gradients gradients = Gradients.of(parameters)) {
            optimizer.update(parameters, gradients.byName(), 3e-3, Gradients.clipScale(gradients.globalNorm(), 1.0));
            gradients.zero();
          }
        }
      }
      PolicyGradientObjective.Scores after = PolicyGradientObjective.score(policy, head, rows, 1.0, 2);
      for (float[] values : after.values()) {
        assertThat(values[2]).as("towards the return 2").isGreaterThan(0.5f);
        assertThat(values[3]).as("towards the return -2").isLessThan(-0.5f);
      }
    }
  }

  /**
   * Old and reference log-probs that differ wildly from the policy's outside the counted positions (as a
   * prompt's or padding's may) leave the loss and the gradients finite: only counted positions enter the
   * ratio's and the KL's exponentials. Without that, exp overflowed to inf there and the mask made it NaN.
   */
  @Test
  void logprobsFarApartOutsideTheCountedPositionsCannotPoisonTheStep() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Qwen2Model policy = Qwen2Model.random(TinyModels.config(64), 3, manager);
      ValueHead head = ValueHead.zeros(policy.config().hiddenSize(), manager);
      List<PackedRow> rows = new java.util.ArrayList<>();
      List<PolicyGradientObjective.TokenSample> samples = ppoSamples(policy, rows, row -> {
        float[] advantages = new float[row.length()];
        for (int t = 0; t < row.length(); t++) {
          advantages[t] = row.lossMask()[t] ? 1 : 0;
        }
        return new float[][] {advantages, new float[row.length()]};
      });
      PolicyGradientObjective.Scores old = PolicyGradientObjective.score(policy, head, rows, 1.0, 2);
      float[][] reference = new float[rows.size()][];
      for (int i = 0; i < rows.size(); i++) {
        reference[i] = old.logprobs()[i].clone();
        for (int t = 0; t < rows.get(i).length(); t++) {
          if (!rows.get(i).lossMask()[t]) {
            reference[i][t] = 1000f; // exp(1000 - logp) overflows
            old.logprobs()[i][t] = -1000f; // exp(logp + 1000) overflows
          }
        }
      }
      PolicyGradientObjective objective = PolicyGradientObjective.ppo(policy, head, reference, samples, old, StepPlan.of(2, 2, 1, 0, 1),
          new PolicyGradientObjective.Settings(1.0, new PolicyLosses.Clip(0.2, 0.28, 0), 0.1, 0, 2.0, Aggregation.TOKEN_MEAN, 2),
          new PolicyGradientObjective.ValueSettings(0.5, 0), null);
      policy.parameters().values().forEach(p -> p.setRequiresGradient(true));
      Objective.StepResult result = objective.accumulate(1);
      // The same policy scores the counted tokens as old and reference did: ratios 1, KL 0, values and
      // returns 0: the loss is the surrogate's -1.
      assertThat(result.loss()).isCloseTo(-1.0, within(1e-4));
      assertThat(result.policy().klK3()).isCloseTo(0.0, within(1e-5));
      try (Gradients gradients = Gradients.of(policy.parameters())) {
        assertThat(gradients.globalNorm()).isFinite().isPositive();
      }
    }
  }

  /**
   * GOOD and BAD as PPO samples at temperature 1, each packed alone into a row added to {@code rows};
   * {@code targets} gives a row's advantages and returns.
   */
  private static List<PolicyGradientObjective.TokenSample> ppoSamples(Qwen2Model policy, List<PackedRow> rows,
      java.util.function.Function<PackedRow, float[][]> targets) {
    List<PolicyGradientObjective.TokenSample> samples = new java.util.ArrayList<>();
    for (long[] ids : List.of(GOOD, BAD)) {
      TokenSequences.Sequence sequence = sequence(policy, ids, 1.0);
      PackedRow row = new Packer(LENGTH).single(sequence.tokens());
      rows.add(row);
      float[][] advantagesAndReturns = targets.apply(row);
      samples.add(new PolicyGradientObjective.TokenSample(sequence, row, advantagesAndReturns[0], advantagesAndReturns[1]));
    }
    return samples;
  }

  private static TokenSequences.Sequence shifted(TokenSequences.Sequence sequence, float by) {
    float[] rollout = sequence.rolloutLogprobs().clone();
    for (int t = 0; t < rollout.length; t++) {
      rollout[t] = sequence.sampled()[t] ? rollout[t] + by : 0f;
    }
    return new TokenSequences.Sequence(sequence.episodeId(), sequence.ids(), sequence.sampled(), rollout, sequence.turns(), sequence.temperature());
  }

  /** A sequence whose last two tokens were sampled, with the sampler's log-probs equal to the model's. */
  private static TokenSequences.Sequence sequence(Qwen2Model model, long[] ids, double temperature) {
    boolean[] sampled = {false, false, false, true, true};
    PackedRow row = new Packer(LENGTH).single(new dev.crucible.trainer.chat.ChatTemplate.Tokens(ids, sampled));
    float[] logprobs = TokenLogprobs.tempered(model, List.of(row), temperature, 1)[0];
    float[] rollout = new float[ids.length];
    for (int t = 1; t < ids.length; t++) {
      rollout[t] = sampled[t] ? logprobs[t - 1] : 0f;
    }
    return new TokenSequences.Sequence("e", ids, sampled, rollout, new int[] {-1, -1, -1, 1, 1}, temperature);
  }

  private static double sampledLogprob(Qwen2Model model, long[] ids) {
    boolean[] sampled = {false, false, false, true, true};
    PackedRow row = new Packer(LENGTH).single(new dev.crucible.trainer.chat.ChatTemplate.Tokens(ids, sampled));
    float[] logprobs = TokenLogprobs.tempered(model, List.of(row), 1.0, 1)[0];
    return logprobs[2] + logprobs[3];
  }
}
