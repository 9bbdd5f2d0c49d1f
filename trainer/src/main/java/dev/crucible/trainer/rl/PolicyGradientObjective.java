package dev.crucible.trainer.rl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.crucible.data.DumpedToken;
import dev.crucible.data.TrainingStep;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.model.Scalars;
import dev.crucible.trainer.train.Objective;
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.Packer;
import dev.crucible.trainer.train.StepPlan;
import dev.crucible.trainer.train.TokenLogprobs;
import dev.crucible.trainer.train.TokenSequences;
import java.util.ArrayList;
import java.util.List;

/**
 * One RL iteration's policy update over token-exact sequences (GRPO and RLOO: an advantage per sequence).
 * Per sampled token, with {@code logp} under {@code softmax(logits / T)} at the sampling temperature:
 * the clipped surrogate against the log-probs the trainer computed for the sampling policy before the
 * update ("old"), weighted by the truncated importance weight between those and the sampler's own, plus
 * {@code beta} times k3 to the frozen reference, minus the entropy bonus; aggregated over the step's
 * counted tokens or sequences. Each sequence is its own row. PPO ({@link #ppo}) gives each token its own
 * advantage and adds the value head's clipped loss on the shared trunk.
 */
public final class PolicyGradientObjective implements Objective {

  /**
   * @param temperature the rollouts' sampling temperature (their top-p must have been 1)
   * @param klBeta weight of k3 KL to the reference in the loss; 0 for none
   * @param entropyCoefficient weight of the entropy bonus; 0 for none
   * @param importanceCap the truncated importance weight's cap
   * @param batchSize rows per forward pass
   */
  public record Settings(
      double temperature, PolicyLosses.Clip clip, double klBeta, double entropyCoefficient, double importanceCap,
      Aggregation aggregation, int batchSize) {}

  /**
   * A sequence and the advantage of each of its positions, used where the position's token was sampled
   * (per token, as {@link ProgressCredit} gives them).
   */
  public record Sample(TokenSequences.Sequence sequence, float[] advantages) {
    public Sample {
      if (advantages.length != sequence.length()) {
        throw new IllegalArgumentException(advantages.length + " advantages for a sequence of " + sequence.length() + " tokens");
      }
    }

    /** {@code advantage} on every sampled token. */
    public Sample(TokenSequences.Sequence sequence, double advantage) {
      this(sequence, ProgressCredit.advantages(sequence, advantage, java.util.Map.of(), 0));
    }
  }

  /** Receives the per-token inputs of chosen steps' losses ({@code --dump-batches}). */
  public interface TokenDump {
    /** Whether step {@code step} (this objective's numbering, from 1) is wanted. */
    boolean wants(int step);

    /** The step's tokens, numbered as in {@link #wants}, with the loss the step logged. */
    void write(int step, List<DumpedToken> tokens);
  }

  /**
   * PPO's value term: {@code coefficient} times the clipped value loss ({@link PolicyLosses#valueLoss}),
   * aggregated like the policy loss.
   */
  public record ValueSettings(double coefficient, double clip) {}

  /**
   * A sequence's row with per-token advantages and value targets, aligned with the row's targets
   * (position {@code t} holds what belongs to token {@code t + 1} of the sequence): PPO's samples.
   */
  public record TokenSample(TokenSequences.Sequence sequence, PackedRow row, float[] advantages, float[] returns) {}

  /**
   * The sampling policy's view of rows before an update, aligned with their targets: the log-prob of each
   * target under {@code softmax(logits / T)}, and, with a value head, the value at each position.
   *
   * @param values per row, or {@code null} without a value head
   */
  public record Scores(float[][] logprobs, float[][] values) {}

  /** A row and its per-position inputs to the loss, aligned with the row's targets. */
  private record Row(TokenSequences.Sequence sequence, PackedRow row, float[] advantages, float[] rolloutLogprobs, float[] oldLogprobs,
      float[] referenceLogprobs, float[] oldValues, float[] returns) {}

  private final Qwen2Model policy;
  private final ValueHead valueHead;
  private final List<Row> rows;
  private final StepPlan plan;
  private final Settings settings;
  private final ValueSettings valueSettings;
  private final boolean withReference;
  private final TokenDump dump;

  /**
   * Computes the old and reference log-probs of every row before any step.
   *
   * @param reference the frozen reference model, or {@code null} when {@code klBeta} is 0
   * @param plan which rows each optimizer step takes (one item per sample)
   */
  public PolicyGradientObjective(Qwen2Model policy, Qwen2Model reference, List<Sample> samples, int sequenceLength, StepPlan plan,
      Settings settings) {
    this(policy, reference, samples, sequenceLength, plan, settings, null);
  }

  /** @param dump where the wanted steps' tokens go, or {@code null} */
  public PolicyGradientObjective(Qwen2Model policy, Qwen2Model reference, List<Sample> samples, int sequenceLength, StepPlan plan,
      Settings settings, TokenDump dump) {
    this(policy, null, reference != null, groupRows(policy, reference, samples, sequenceLength, settings), plan, settings, null, dump);
  }

  /** @param withReference whether the rows carry a reference's log-probs (else zeros, and no KL is reported) */
  private PolicyGradientObjective(Qwen2Model policy, ValueHead valueHead, boolean withReference, List<Row> rows, StepPlan plan,
      Settings settings, ValueSettings valueSettings, TokenDump dump) {
    this.policy = policy;
    this.valueHead = valueHead;
    this.rows = rows;
    this.plan = plan;
    this.settings = settings;
    this.valueSettings = valueSettings;
    this.withReference = withReference;
    this.dump = dump;
  }

  /**
   * PPO's update: per-token advantages (from {@link Gae}) and the value head fitted to the returns, on
   * the policy's shared trunk.
   *
   * @param old the rows' scores under the sampling policy and value head, before any step
   * @param reference the frozen reference's log-probs of the rows at the sampling temperature, or {@code null}
   *     without a reference; with {@code klBeta} 0 its KL is reported, not trained on (the KL in the reward)
   */
  public static PolicyGradientObjective ppo(Qwen2Model policy, ValueHead valueHead, float[][] reference, List<TokenSample> samples,
      Scores old, StepPlan plan, Settings settings, ValueSettings valueSettings, TokenDump dump) {
    if (settings.klBeta() > 0 && reference == null) {
      throw new IllegalArgumentException("a KL penalty needs the reference's log-probs");
    }
    List<PackedRow> packed = samples.stream().map(TokenSample::row).toList();
    float[][] referenceLogprobs = reference != null ? reference : referenceLogprobs(null, packed, settings);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      TokenSample sample = samples.get(i);
      rows.add(new Row(sample.sequence(), sample.row(), sample.advantages(), rolloutLogprobs(sample.sequence(), sample.row()),
          old.logprobs()[i], referenceLogprobs[i], old.values()[i], sample.returns()));
    }
    return new PolicyGradientObjective(policy, valueHead, reference != null, rows, plan, settings, valueSettings, dump);
  }

  /** The rows' log-probs at the temperature and, with a head, their values, without gradients. */
  public static Scores score(Qwen2Model policy, ValueHead valueHead, List<PackedRow> rows, double temperature, int batchSize) {
    float[][] logprobs = new float[rows.size()][];
    float[][] values = valueHead == null ? null : new float[rows.size()][];
    for (int from = 0; from < rows.size(); from += batchSize) {
      List<PackedRow> micro = rows.subList(from, Math.min(rows.size(), from + batchSize));
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        TokenLogprobs.Batch batch = TokenLogprobs.Batch.of(policy.manager(), micro);
        NDArray hidden = policy.hidden(batch.inputs(), batch.positions(), batch.bias(), null);
        float[] targets = TokenLogprobs.ofTargets(Scalars.over(policy.logits(hidden), temperature), batch.targets()).toFloatArray();
        float[] estimates = valueHead == null ? null : valueHead.values(hidden).toFloatArray();
        int length = micro.get(0).length();
        for (int i = 0; i < micro.size(); i++) {
          logprobs[from + i] = java.util.Arrays.copyOfRange(targets, i * length, (i + 1) * length);
          if (values != null) {
            values[from + i] = java.util.Arrays.copyOfRange(estimates, i * length, (i + 1) * length);
          }
        }
      }
    }
    return new Scores(logprobs, values);
  }

  /** GRPO's and RLOO's rows: each sample's advantages on its sampled tokens, aligned with the row's targets. */
  private static List<Row> groupRows(Qwen2Model policy, Qwen2Model reference, List<Sample> samples, int sequenceLength, Settings settings) {
    if (settings.klBeta() > 0 && reference == null) {
      throw new IllegalArgumentException("a KL penalty needs the reference model");
    }
    Packer packer = new Packer(sequenceLength);
    List<PackedRow> packed = new ArrayList<>();
    for (Sample sample : samples) {
      packed.add(packer.single(sample.sequence().tokens()));
    }
    float[][] old = score(policy, null, packed, settings.temperature(), settings.batchSize()).logprobs();
    float[][] referenceLogprobs = referenceLogprobs(reference, packed, settings);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      PackedRow row = packed.get(i);
      float[] advantages = new float[row.length()];
      float[] byPosition = samples.get(i).advantages();
      for (int t = 0; t < row.length() && t + 1 < byPosition.length; t++) {
        advantages[t] = row.lossMask()[t] ? byPosition[t + 1] : 0f;
      }
      rows.add(new Row(samples.get(i).sequence(), row, advantages, rolloutLogprobs(samples.get(i).sequence(), row), old[i], referenceLogprobs[i],
          null, null));
    }
    return rows;
  }

  /** The sampler's log-probs aligned with the row's targets: position t predicts token t + 1 of the sequence. */
  private static float[] rolloutLogprobs(TokenSequences.Sequence sequence, PackedRow row) {
    float[] rollout = new float[row.length()];
    for (int t = 0; t < row.length() && t + 1 < sequence.length(); t++) {
      if (row.lossMask()[t]) {
        rollout[t] = sequence.rolloutLogprobs()[t + 1];
      }
    }
    return rollout;
  }

  /** The reference's log-probs of the rows, or zeros without a reference (its KL term is off). */
  private static float[][] referenceLogprobs(Qwen2Model reference, List<PackedRow> rows, Settings settings) {
    if (reference == null) {
      return rows.stream().map(row -> new float[row.length()]).toArray(float[][]::new);
    }
    return TokenLogprobs.tempered(reference, rows, settings.temperature(), settings.batchSize());
  }

  @Override
  public StepResult accumulate(int step) {
    List<Row> chosen = plan.itemsOf(step).stream().map(rows::get).toList();
    long stepTokens = Math.max(1, chosen.stream().mapToLong(r -> r.row().lossTokens()).sum());
    long stepSequences = chosen.size();
    NDManager manager = policy.manager();
    double loss = 0;
    long tokens = 0;
    double[] sums = new double[5]; // k1, k3, clipped, entropy, rollout k3: summed over counted tokens
    double valueSum = 0;
    boolean dumping = dump != null && dump.wants(step);
    List<DumpedToken> dumped = new ArrayList<>();
    for (int from = 0; from < chosen.size(); from += settings.batchSize()) {
      List<Row> micro = chosen.subList(from, Math.min(chosen.size(), from + settings.batchSize()));
      List<PackedRow> packed = micro.stream().map(Row::row).toList();
      tokens += packed.stream().mapToLong(PackedRow::realTokens).sum();
      try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        scope.suppressNotUsedWarning();
        TokenLogprobs.Batch batch = TokenLogprobs.Batch.of(manager, packed);
        Shape shape = batch.targets().getShape();
        NDArray hidden = policy.hidden(batch.inputs(), batch.positions(), batch.bias(), null);
        NDArray logits = Scalars.over(policy.logits(hidden), settings.temperature());
        NDArray mask = batch.mask();
        NDArray logp = TokenLogprobs.ofTargets(logits, batch.targets());
        // Only counted positions reach the exponentials of the ratio and the KL: elsewhere (prompts,
        // padding) the log-probs being compared can be far apart, and an overflow to inf there would
        // become NaN through the mask (inf * 0), in the loss and in every gradient.
        NDArray countedLogp = logp.mul(mask);
        NDArray advantages = stack(manager, micro, Row::advantages, shape);
        NDArray old = stack(manager, micro, Row::oldLogprobs, shape).mul(mask);
        NDArray rollout = stack(manager, micro, Row::rolloutLogprobs, shape);
        NDArray reference = stack(manager, micro, Row::referenceLogprobs, shape).mul(mask);
        PolicyLosses.Surrogate surrogate = PolicyLosses.clippedSurrogate(countedLogp, old, advantages, settings.clip());
        NDArray weights = PolicyLosses.truncatedImportanceWeights(old, rollout, settings.importanceCap());
        NDArray k3 = PolicyLosses.k3(countedLogp, reference);
        NDArray entropy = PolicyLosses.entropy(logits);
        NDArray perToken = surrogate.loss().mul(weights);
        if (settings.klBeta() > 0) {
          perToken = perToken.add(Scalars.times(k3, settings.klBeta()));
        }
        if (settings.entropyCoefficient() > 0) {
          perToken = perToken.sub(Scalars.times(entropy, settings.entropyCoefficient()));
        }
        if (valueHead != null) {
          NDArray valueLoss = PolicyLosses.valueLoss(valueHead.values(hidden), stack(manager, micro, Row::oldValues, shape),
              stack(manager, micro, Row::returns, shape), valueSettings.clip());
          perToken = perToken.add(Scalars.times(valueLoss, valueSettings.coefficient()));
          valueSum += valueLoss.mul(mask).sum().getFloat();
        }
        NDArray microLoss = settings.aggregation().apply(perToken, mask, stepTokens, stepSequences);
        collector.backward(microLoss);
        loss += microLoss.getFloat();
        sums[0] += PolicyLosses.k1(countedLogp, reference).mul(mask).sum().getFloat();
        sums[1] += k3.mul(mask).sum().getFloat();
        sums[2] += surrogate.clipped().mul(mask).sum().getFloat();
        sums[3] += entropy.mul(mask).sum().getFloat();
        sums[4] += rolloutKl(micro);
        if (dumping) {
          dumped.addAll(tokens(step, from, micro, logp.toFloatArray(), (int) shape.get(1)));
        }
      }
    }
    if (dumping) {
      double stepLoss = loss;
      dump.write(step, dumped.stream().map(token -> token.withStepLoss(stepLoss)).toList());
    }
    TrainingStep.PolicyFigures figures = new TrainingStep.PolicyFigures(
        withReference ? sums[0] / stepTokens : null, withReference ? sums[1] / stepTokens : null, sums[2] / stepTokens,
        sums[3] / stepTokens, sums[4] / stepTokens,
        valueHead == null ? null : valueSum / stepTokens);
    return new StepResult(loss, tokens, null, null, null, null, figures);
  }

  /** The micro-batch's positions as dumped tokens, the step's loss not yet known (0). */
  private List<DumpedToken> tokens(int step, int firstRow, List<Row> micro, float[] current, int length) {
    List<DumpedToken> tokens = new ArrayList<>();
    for (int i = 0; i < micro.size(); i++) {
      Row row = micro.get(i);
      for (int t = 0; t < row.row().length() && row.row().segments()[t] != 0; t++) {
        boolean counted = row.row().lossMask()[t];
        int turn = row.sequence().turns()[t + 1];
        tokens.add(new DumpedToken(step, firstRow + i, row.sequence().episodeId(), turn < 0 ? null : turn, t + 1, (int) row.row().targets()[t],
            counted, counted ? row.rolloutLogprobs()[t] : null, row.oldLogprobs()[t], withReference ? row.referenceLogprobs()[t] : null,
            current[i * length + t], row.advantages()[t], row.oldValues() == null ? null : row.oldValues()[t],
            row.returns() == null ? null : row.returns()[t], 0));
      }
    }
    return tokens;
  }

  /**
   * The summed k3 between the sampler's and the trainer's log-probs of the sampling policy over the rows'
   * counted tokens, in double precision: the two differ by rounding, which k3 in float32 rounds to 0.
   */
  private static double rolloutKl(List<Row> rows) {
    double sum = 0;
    for (Row row : rows) {
      for (int t = 0; t < row.row().length(); t++) {
        if (row.row().lossMask()[t]) {
          double r = (double) row.rolloutLogprobs()[t] - row.oldLogprobs()[t];
          sum += Math.expm1(r) - r;
        }
      }
    }
    return sum;
  }

  private static NDArray stack(NDManager manager, List<Row> rows, java.util.function.Function<Row, float[]> field, Shape shape) {
    int length = (int) shape.get(1);
    float[] values = new float[rows.size() * length];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(field.apply(rows.get(i)), 0, values, i * length, length);
    }
    return manager.create(values, shape);
  }
}
