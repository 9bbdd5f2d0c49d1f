package dev.crucible.jobs.train;

import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.train.MemoryPlan;
import dev.crucible.trainer.train.TrainSettings;
import java.util.function.Consumer;

/** Prints a run's memory plan before any weight loads, and refuses a run that cannot fit. */
final class TrainingMemory {
  private TrainingMemory() {}

  /**
   * @param rows sequences per forward pass
   * @param referenceCopy whether the run loads a second, frozen copy of the weights for a KL penalty
   * @throws IllegalArgumentException when the plan exceeds {@code availableBytes}, naming the figures and
   *     the longest sequence that would fit
   */
  static MemoryPlan check(String stage, Qwen2Config model, TrainSettings.Lora lora, int rows, int sequenceLength,
      boolean referenceCopy, long availableBytes, Consumer<String> progress) {
    MemoryPlan plan = MemoryPlan.of(model, lora, MemoryPlan.Precision.F32, rows, sequenceLength, referenceCopy);
    plan.describe().forEach(line -> progress.accept(stage + ": " + line));
    progress.accept(String.format("%s: memory available %s", stage, MemoryPlan.gib(availableBytes)));
    if (!plan.fits(availableBytes)) {
      int longest = MemoryPlan.longestSequence(model, lora, MemoryPlan.Precision.F32, rows, referenceCopy, availableBytes);
      throw new IllegalArgumentException(String.format(
          "%s cannot fit: a step needs %s (weights %s, gradients %s, optimizer %s, activations %s, transient %s) but %s is"
              + " available; at %d rows per forward pass (training.batch_size) the longest training.sequence_length that fits"
              + " is %d (now %d)%s",
          stage, MemoryPlan.gib(plan.totalBytes()), MemoryPlan.gib(plan.weightBytes()), MemoryPlan.gib(plan.gradientBytes()),
          MemoryPlan.gib(plan.optimizerBytes()), MemoryPlan.gib(plan.activationBytes()), MemoryPlan.gib(plan.transientBytes()),
          MemoryPlan.gib(availableBytes), rows, longest, sequenceLength,
          lora == null ? "; LoRA adapters (a lora section) need no gradients or moments for the base" : ""));
    }
    return plan;
  }
}
