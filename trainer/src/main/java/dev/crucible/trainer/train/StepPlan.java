package dev.crucible.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Which items (rows or pairs) each optimizer step uses: epochs of seeded shuffles laid end to end.
 * A step's items depend only on the seed and the step number, so a resumed run sees what an
 * uninterrupted run would have.
 */
public record StepPlan(int items, int itemsPerStep, int totalSteps, long seed) {

  /** {@code maxSteps} when positive, otherwise enough steps for {@code epochs} passes. */
  public static StepPlan of(int items, int itemsPerStep, int epochs, int maxSteps, long seed) {
    if (items == 0) {
      throw new IllegalArgumentException("there is nothing to train on");
    }
    int steps = maxSteps > 0 ? maxSteps : (int) Math.ceil((double) epochs * items / itemsPerStep);
    return new StepPlan(items, itemsPerStep, Math.max(1, steps), seed);
  }

  /** Item indices of optimizer step {@code step} (from 1). */
  public List<Integer> itemsOf(int step) {
    List<Integer> chosen = new ArrayList<>(itemsPerStep);
    long first = (long) (step - 1) * itemsPerStep;
    for (long i = first; i < first + itemsPerStep; i++) {
      int epoch = (int) (i / items);
      chosen.add(order(epoch)[(int) (i % items)]);
    }
    return chosen;
  }

  private int[] order(int epoch) {
    int[] order = new int[items];
    for (int i = 0; i < items; i++) {
      order[i] = i;
    }
    Random random = new Random(seed * 1_000_003L + epoch);
    for (int i = items - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
