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
 * <p>Weights, gradients and AdamW's two moments are exact counts. Activations count the tensors this
 * trainer's forward pass ({@code Qwen2Model}) leaves for the backward pass, per token and layer: the
 * residual stream and both norms' outputs (6 h), q and its rotated, copied and mixed forms (5 h), k and v
 * with k's rotation (4 kv), the SwiGLU MLP's gate, sigmoid, product, up and input to down (5 I), and the
 * attention probabilities (heads × keys). The head keeps float32 log-probabilities over the vocabulary at
 * every position. Transient memory is the largest set alive at once beyond that: one layer's score,
 * softmax and gradient tensors, the float32 attention mask, and the head's logits and their gradient.
 * It errs high: a frozen projection without an adapter need not keep its input.
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
    long transientBytes) {

  /** How numbers are held while training. */
  public enum Precision {
    /** Everything in float32: the CPU build. */
    F32(4, 4, 4),
    /** bfloat16 compute and frozen weights; float32 master weights, gradients and moments for what trains. */
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

  private static final int FLOAT32 = 4;

  /**
   * The plan for training {@code rows} sequences of {@code sequenceLength} tokens per forward pass.
   *
   * @param lora the adapters that train instead of the model, or {@code null} for full training
   * @param referenceCopy whether a frozen copy of the weights scores the reference (a KL penalty)
   */
  public static MemoryPlan of(Qwen2Config config, TrainSettings.Lora lora, Precision precision, int rows, int sequenceLength,
      boolean referenceCopy) {
    if (rows < 1 || sequenceLength < 1) {
      throw new IllegalArgumentException("rows and sequence length must be positive, not " + rows + " and " + sequenceLength);
    }
    long parameters = config.parameterCount();
    long trainable = lora == null ? parameters : adapterParameters(config, lora);
    long weights = lora == null
        ? parameters * precision.trainableWeightBytes
        : parameters * precision.frozenWeightBytes + trainable * precision.trainableWeightBytes;
    if (referenceCopy) {
      weights += parameters * precision.frozenWeightBytes;
    }
    long tokens = (long) rows * sequenceLength;
    long h = config.hiddenSize();
    long kv = (long) config.numKeyValueHeads() * config.headDim();
    long heads = config.numAttentionHeads();
    long perLayerToken = 6 * h + 5 * h + 4 * kv + 5L * config.intermediateSize() + heads * sequenceLength;
    long activations = tokens * (config.numHiddenLayers() * perLayerToken + 2 * h) * precision.activationBytes
        + tokens * config.vocabSize() * FLOAT32;
    long scores = 3 * rows * heads * sequenceLength * (long) sequenceLength * precision.activationBytes;
    long mask = (long) rows * sequenceLength * sequenceLength * FLOAT32;
    long head = 2 * tokens * config.vocabSize() * FLOAT32;
    return new MemoryPlan(precision, parameters, trainable, rows, sequenceLength, weights, trainable * FLOAT32,
        2 * trainable * FLOAT32, activations, scores + mask + head);
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
    return weightBytes + gradientBytes + optimizerBytes + activationBytes + transientBytes;
  }

  public boolean fits(long availableBytes) {
    return totalBytes() <= availableBytes;
  }

  /**
   * The longest sequence up to {@code config}'s context whose plan fits in {@code availableBytes}, or 0 when
   * not even one token does.
   */
  public static int longestSequence(Qwen2Config config, TrainSettings.Lora lora, Precision precision, int rows,
      boolean referenceCopy, long availableBytes) {
    int low = 0;
    int high = config.maxPositionEmbeddings();
    while (low < high) {
      int middle = low + (high - low + 1) / 2;
      if (of(config, lora, precision, rows, middle, referenceCopy).fits(availableBytes)) {
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
    lines.add(String.format("  activations    %s (kept for the backward pass)", gib(activationBytes)));
    lines.add(String.format("  transient      %s (one layer's attention scores, the mask, the head's logits)", gib(transientBytes)));
    lines.add(String.format("  total          %s", gib(totalBytes())));
    return lines;
  }

  /** {@code bytes} in GiB with two decimals. */
  public static String gib(long bytes) {
    return String.format("%.2f GiB", bytes / (double) (1L << 30));
  }
}
