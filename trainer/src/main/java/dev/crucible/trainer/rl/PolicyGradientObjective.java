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
 * counted tokens or sequences. Each sequence is its own row.
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

  /** A sequence and the advantage of each of its sampled tokens. */
  public record Sample(TokenSequences.Sequence sequence, double advantage) {}

  /** Receives the per-token inputs of chosen steps' losses ({@code --dump-batches}). */
  public interface TokenDump {
    /** Whether step {@code step} (this objective's numbering, from 1) is wanted. */
    boolean wants(int step);

    /** The step's tokens, numbered as in {@link #wants}, with the loss the step logged. */
    void write(int step, List<DumpedToken> tokens);
  }

  /** A row and its per-position inputs to the loss, aligned with the row's targets. */
  private record Row(TokenSequences.Sequence sequence, PackedRow row, float[] advantages, float[] rolloutLogprobs, float[] oldLogprobs,
      float[] referenceLogprobs) {}

  private final Qwen2Model policy;
  private final List<Row> rows;
  private final StepPlan plan;
  private final Settings settings;
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
    if (settings.klBeta() > 0 && reference == null) {
      throw new IllegalArgumentException("a KL penalty needs the reference model");
    }
    this.policy = policy;
    this.plan = plan;
    this.settings = settings;
    this.withReference = reference != null;
    this.dump = dump;
    Packer packer = new Packer(sequenceLength);
    List<PackedRow> packed = new ArrayList<>();
    for (Sample sample : samples) {
      packed.add(packer.single(sample.sequence().tokens()));
    }
    float[][] old = TokenLogprobs.tempered(policy, packed, settings.temperature(), settings.batchSize());
    float[][] referenceLogprobs = reference == null ? null : TokenLogprobs.tempered(reference, packed, settings.temperature(), settings.batchSize());
    this.rows = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      PackedRow row = packed.get(i);
      TokenSequences.Sequence sequence = samples.get(i).sequence();
      float[] advantages = new float[row.length()];
      float[] rollout = new float[row.length()];
      // Position t predicts token t + 1 of the sequence (a single row starts at the sequence's start).
      for (int t = 0; t < row.length() && t + 1 < sequence.length(); t++) {
        if (row.lossMask()[t]) {
          advantages[t] = (float) samples.get(i).advantage();
          rollout[t] = sequence.rolloutLogprobs()[t + 1];
        }
      }
      rows.add(new Row(sequence, row, advantages, rollout, old[i], referenceLogprobs == null ? new float[row.length()] : referenceLogprobs[i]));
    }
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
        NDArray logits = policy.forward(batch.inputs(), batch.positions(), batch.bias(), null).div(settings.temperature());
        NDArray logp = TokenLogprobs.ofTargets(logits, batch.targets());
        NDArray advantages = stack(manager, micro, Row::advantages, shape);
        NDArray old = stack(manager, micro, Row::oldLogprobs, shape);
        NDArray rollout = stack(manager, micro, Row::rolloutLogprobs, shape);
        NDArray reference = stack(manager, micro, Row::referenceLogprobs, shape);
        PolicyLosses.Surrogate surrogate = PolicyLosses.clippedSurrogate(logp, old, advantages, settings.clip());
        NDArray weights = PolicyLosses.truncatedImportanceWeights(old, rollout, settings.importanceCap());
        NDArray k3 = PolicyLosses.k3(logp, reference);
        NDArray entropy = PolicyLosses.entropy(logits);
        NDArray perToken = surrogate.loss().mul(weights);
        if (settings.klBeta() > 0) {
          perToken = perToken.add(k3.mul(settings.klBeta()));
        }
        if (settings.entropyCoefficient() > 0) {
          perToken = perToken.sub(entropy.mul(settings.entropyCoefficient()));
        }
        NDArray microLoss = settings.aggregation().apply(perToken, batch.mask(), stepTokens, stepSequences);
        collector.backward(microLoss);
        loss += microLoss.getFloat();
        NDArray mask = batch.mask();
        sums[0] += PolicyLosses.k1(logp, reference).mul(mask).sum().getFloat();
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
        sums[0] / stepTokens, sums[1] / stepTokens, sums[2] / stepTokens, sums[3] / stepTokens, sums[4] / stepTokens);
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
            current[i * length + t], row.advantages()[t], null, null, 0));
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
