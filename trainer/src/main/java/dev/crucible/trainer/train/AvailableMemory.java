package dev.crucible.trainer.train;

import java.lang.management.ManagementFactory;

/** The memory a training step's native arrays may use on this host. */
public final class AvailableMemory {
  private AvailableMemory() {}

  /**
   * The machine's memory, or the container's limit where there is one (Java 17 reads the cgroup's), less
   * the ceiling of the JVM's own heap: DJL's arrays live outside it.
   */
  public static long hostBytes() {
    long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    return Math.max(0, total - Runtime.getRuntime().maxMemory());
  }
}
