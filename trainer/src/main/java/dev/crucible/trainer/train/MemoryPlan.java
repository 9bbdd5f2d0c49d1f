package dev.crucible.trainer.train;

import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.model.ParameterLayout;
import dev.crucible.trainer.model.Qwen2Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one training step holds in memory, computed from {@code config.json} and the run's settings before a
 * weight is loaded, so a run that cannot fit stops in a second instead of an hour in.
 *
 * <p>Weights, gradients and AdamW's two moments are exact counts. Activations count every array this
 * trainer's forward pass ({@code Qwen2Model}) makes, since DJL keeps each one alive until the step's
 * scope closes after the backward pass, not only those autograd saves. Per token and layer: the two
 * RMSNorms (3 h each), q, k and v (h + 2 kv), the rotations (4.5 h + 4.5 kv), the copy of q that grouped
 * heads need (h, when there are fewer key-value heads), the attention output and its copy (2 h), o_proj
 * and the two residual sums (3 h), the SwiGLU MLP (5 I and h out), and four arrays of heads × keys
 * (scores, scaled, masked, softmax). Per token also the embedding and the final norm (4 h) and the head's
 * float32 arrays ({@link Head}: two or six of the vocabulary's size; SFT and DPO compute them only at
 * the counted positions, which the plan does not know, so it counts all). Transient memory is what the backward pass
 * adds at once: one layer's two gradients of heads × keys × queries, the float32 mask and the head's
 * gradient. Headroom is a fifth of those two more, the allocator's share of what each step allocates and
 * frees: {@code crucible bench memory} measured real steps 7 to 15% above the itemized sum here, so with
 * it the plan errs high.
 *
 * @param parameters every parameter of the model
 * @param trainableParameters what the optimizer updates: the model, or its LoRA adapters
 */
public record MemoryPlan(
    Precision precision,
    long parameters,
    long trainableParameters,
    int rows,
    int sequenceLength,
    long weightBytes,
    long gradientBytes,
    long optimizerBytes,
    long activationBytes,
    long transientBytes,
    long headroomBytes) {

  /** How numbers are held while training. */
  public enum Precision {
    /** Everything in float32: the CPU build. */
    F32(4, 4, 4),
    /**
     * bfloat16 compute and frozen weights; float32 master weights, gradients and moments for what trains. A
     * what-if: this build cannot compute in bfloat16 (DJL 0.35.1 aborts the JVM on a bfloat16 array, and its
     * casts do not carry gradients).
     */
    BF16_MIXED(2, 4 + 2, 2);

    final int frozenWeightBytes;
    final int trainableWeightBytes;
    final int activationBytes;

    Precision(int frozenWeightBytes, int trainableWeightBytes, int activationBytes) {
      this.frozenWeightBytes = frozenWeightBytes;
      this.trainableWeightBytes = trainableWeightBytes;
      this.activationBytes = activationBytes;
    }
  }

  /** The float32 arrays of the vocabulary's size a step makes at each position from the head. */
  public enum Head {
    /** SFT and DPO: the logits and the log-probabilities. */
    LOG_PROBS(2),
    /**
     * An RL step: the logits, the tempered logits, the log-probabilities of the targets and, for the
     * entropy, again, with their exponent and its product with them.
     */
    POLICY_GRADIENT(6);

    final int arrays;

    Head(int arrays) {
      this.arrays = arrays;
    }
  }

  /**
   * A training step, all but its sequence length.
   *
   * @param lora the adapters that train instead of the model, or {@code null} for full training
   * @param rows sequences per forward pass
   * @param referenceCopy whether a frozen copy of the weights scores the reference (a KL penalty)
   */
  public record Step(Qwen2Config model, TrainSettings.Lora lora, Precision precision, Head head, int rows, boolean referenceCopy) {}

  private static final int FLOAT32 = 4;

  /** The plan for {@code step} on sequences of {@code sequenceLength} tokens. */
  public static MemoryPlan of(Step step, int sequenceLength) {
    Qwen2Config config = step.model();
    TrainSettings.Lora lora = step.lora();
    Precision precision = step.precision();
    int rows = step.rows();
    if (rows < 1 || sequenceLength < 1) {
      throw new IllegalArgumentException("rows and sequence length must be positive, not " + rows + " and " + sequenceLength);
    }
    long parameters = config.parameterCount();
    long trainable = lora == null ? parameters : adapterParameters(config, lora);
    long weights = lora == null
        ? parameters * precision.trainableWeightBytes
        : parameters * precision.frozenWeightBytes + trainable * precision.trainableWeightBytes;
    if (step.referenceCopy()) {
      weights += parameters * precision.frozenWeightBytes;
    }
    long tokens = (long) rows * sequenceLength;
    long h = config.hiddenSize();
    long kv = (long) config.numKeyValueHeads() * config.headDim();
    long heads = config.numAttentionHeads();
    long groupedCopy = config.numKeyValueHeads() < heads ? h : 0;
    // 17.5 h + 6.5 kv, in halves: h and kv are even (the rotation splits every head in two).
    long perLayerToken = (35 * h + 13 * kv) / 2 + groupedCopy + 5L * config.intermediateSize() + 4 * heads * sequenceLength;
    long activations = tokens * (config.numHiddenLayers() * perLayerToken + 4 * h) * precision.activationBytes
        + step.head().arrays * tokens * config.vocabSize() * FLOAT32;
    long scoreGradients = 2 * rows * heads * sequenceLength * (long) sequenceLength * precision.activationBytes;
    long mask = (long) rows * sequenceLength * sequenceLength * FLOAT32;
    long headGradient = tokens * config.vocabSize() * FLOAT32;
    long gradients = trainable * FLOAT32;
    long optimizer = 2 * trainable * FLOAT32;
    long transients = scoreGradients + mask + headGradient;
    long headroom = (activations + transients) / 5;
    return new MemoryPlan(precision, parameters, trainable, rows, sequenceLength, weights, gradients, optimizer, activations,
        transients, headroom);
  }

  /** LoRA's A [rank, in] and B [out, rank] for every projection weight a target names. */
  static long adapterParameters(Qwen2Config config, TrainSettings.Lora lora) {
    long count = 0;
    for (Map.Entry<String, Shape> entry : ParameterLayout.of(config).entrySet()) {
      String name = entry.getKey();
      if (name.endsWith(".weight") && lora.targets().stream().anyMatch(target -> name.endsWith("." + target + ".weight"))) {
        count += (long) lora.rank() * (entry.getValue().get(0) + entry.getValue().get(1));
      }
    }
    return count;
  }

  public long totalBytes() {
    return weightBytes + gradientBytes + optimizerBytes + activationBytes + transientBytes + headroomBytes;
  }

  public boolean fits(long availableBytes) {
    return totalBytes() <= availableBytes;
  }

  /**
   * The longest sequence up to the model's context whose plan fits in {@code availableBytes}, or 0 when not
   * even one token does.
   */
  public static int longestSequence(Step step, long availableBytes) {
    int low = 0;
    int high = step.model().maxPositionEmbeddings();
    while (low < high) {
      int middle = low + (high - low + 1) / 2;
      if (of(step, middle).fits(availableBytes)) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  /** The plan as lines of text, one figure each. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("memory plan: %s, %,d of %,d parameters train, %d × %,d tokens per forward pass", precision,
        trainableParameters, parameters, rows, sequenceLength));
    lines.add(String.format("  weights        %s", gib(weightBytes)));
    lines.add(String.format("  gradients      %s", gib(gradientBytes)));
    lines.add(String.format("  optimizer      %s (AdamW, two float32 moments)", gib(optimizerBytes)));
    lines.add(String.format("  activations    %s (the forward pass's arrays, kept until the backward pass is done)", gib(activationBytes)));
    lines.add(String.format("  transient      %s (one layer's attention gradients, the mask, the head's gradient)", gib(transientBytes)));
    lines.add(String.format("  headroom       %s (a fifth of activations and transient, for the allocator)", gib(headroomBytes)));
    lines.add(String.format("  total          %s", gib(totalBytes())));
    return lines;
  }

  /** {@code bytes} in GiB with two decimals. */
  public static String gib(long bytes) {
    return String.format("%.2f GiB", bytes / (double) (1L << 30));
  }
}
