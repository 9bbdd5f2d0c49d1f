package dev.crucible.rollout.sandbox;

import java.io.Serializable;

/**
 * The limits of a container made from a row's own prebuilt image (SWE-bench 5's {@code image}), which
 * runs the row's {@code eval_script} as root as the official harness does. Serializable, so executors
 * receive it.
 *
 * @param memoryBytes memory limit, without swap
 * @param cpus CPU limit, in cores
 * @param pidsLimit most processes and threads at once
 * @param network whether the script may reach the network (off unless asked: the patch's code runs there)
 * @param pullAttempts how often a missing image is pulled before the instance is an error
 */
public record ImageLimits(long memoryBytes, double cpus, int pidsLimit, boolean network, int pullAttempts) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a test suite of a large Python project needs: 8 GiB, 2 cores, 4096 processes, no network, 3 pulls. */
  public static final ImageLimits DEFAULT = new ImageLimits(8L << 30, 2, 4096, false, 3);

  public ImageLimits {
    if (memoryBytes < (64L << 20) || cpus <= 0 || pidsLimit < 16 || pullAttempts < 1) {
      throw new IllegalArgumentException(
          "image limits need at least 64 MiB, some CPU, 16 processes and one pull attempt, not " + memoryBytes + " bytes, " + cpus
              + " cpus, " + pidsLimit + " processes, " + pullAttempts + " pulls");
    }
  }

  /** These limits with the network on or off. */
  public ImageLimits withNetwork(boolean network) {
    return new ImageLimits(memoryBytes, cpus, pidsLimit, network, pullAttempts);
  }
}
