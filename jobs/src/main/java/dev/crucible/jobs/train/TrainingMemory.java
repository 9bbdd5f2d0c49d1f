package dev.crucible.jobs.train;

import dev.crucible.trainer.train.MemoryPlan;
import java.util.function.Consumer;

/** Prints a run's memory plan before any weight loads, and refuses a run that cannot fit. */
final class TrainingMemory {
  private TrainingMemory() {}

  /**
   * @param where the memory {@code availableBytes} counts, for the message ("the host", "gpu(0)")
   * @throws IllegalArgumentException when the plan exceeds {@code availableBytes}, naming the figures and
   *     the longest sequence that would fit
   */
  static MemoryPlan check(String stage, MemoryPlan.Step step, int sequenceLength, long availableBytes, String where,
      Consumer<String> progress) {
    MemoryPlan plan = MemoryPlan.of(step, sequenceLength);
    plan.describe().forEach(line -> progress.accept(stage + ": " + line));
    progress.accept(String.format("%s: memory available on %s: %s", stage, where, MemoryPlan.gib(availableBytes)));
    if (!plan.fits(availableBytes)) {
      int longest = MemoryPlan.longestSequence(step, availableBytes);
      throw new IllegalArgumentException(String.format(
          "%s cannot fit: a step needs %s (weights %s, gradients %s, optimizer %s, activations %s, transient %s, headroom %s)"
              + " but %s is available on %s; at %d rows per forward pass (training.batch_size) the longest"
              + " training.sequence_length that fits is %d (now %d)%s",
          stage, MemoryPlan.gib(plan.totalBytes()), MemoryPlan.gib(plan.weightBytes()), MemoryPlan.gib(plan.gradientBytes()),
          MemoryPlan.gib(plan.optimizerBytes()), MemoryPlan.gib(plan.activationBytes()), MemoryPlan.gib(plan.transientBytes()),
          MemoryPlan.gib(plan.headroomBytes()), MemoryPlan.gib(availableBytes), where, step.rows(), longest, sequenceLength,
          step.lora() == null ? "; LoRA adapters (a lora section) need no gradients or moments for the base" : ""));
    }
    return plan;
  }
}
