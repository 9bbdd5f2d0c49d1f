package dev.crucible.trainer.train;

import java.util.List;

/**
 * How to train, shared by SFT and DPO.
 *
 * @param sequenceLength positions per row
 * @param batchSize rows (SFT) or pairs (DPO) per forward pass
 * @param accumulation forward passes per optimizer step
 * @param epochs passes over the data, when {@code maxSteps} is 0
 * @param maxSteps optimizer steps; 0 to derive them from {@code epochs}
 * @param lora adapters to train instead of the full model, or {@code null}
 */
public record TrainSettings(
    int sequenceLength,
    int batchSize,
    int accumulation,
    int epochs,
    int maxSteps,
    double learningRate,
    int warmupSteps,
    double minLearningRateRatio,
    double weightDecay,
    double maxGradNorm,
    double beta1,
    double beta2,
    double epsilon,
    long seed,
    int checkpointEvery,
    int logEvery,
    Lora lora) {

  /** Low-rank adapters: rank, alpha and the projections they attach to (for example q_proj, v_proj). */
  public record Lora(int rank, double alpha, List<String> targets) {
    public Lora {
      targets = List.copyOf(targets);
    }
  }

  public int itemsPerStep() {
    return batchSize * accumulation;
  }
}
