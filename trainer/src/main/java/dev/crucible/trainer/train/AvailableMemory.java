package dev.crucible.trainer.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/** The memory a training step's arrays may use on the device they live on. */
public final class AvailableMemory {
  private AvailableMemory() {}

  /** What is free on a GPU now; on the CPU, {@link #hostBytes}. */
  public static long on(Device device) {
    if (device.isGpu()) {
      MemoryUsage usage = CudaUtils.getGpuMemory(device);
      return usage.getMax() - usage.getUsed();
    }
    return hostBytes();
  }

  /** Where {@link #on} counts, for messages: "gpu(0)", or "the host". */
  public static String describe(Device device) {
    return device.isGpu() ? device.toString() : "the host";
  }

  /**
   * The machine's memory, or the container's limit where there is one (Java 17 reads the cgroup's), less
   * the ceiling of the JVM's own heap: DJL's arrays live outside it.
   */
  public static long hostBytes() {
    long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    return Math.max(0, total - Runtime.getRuntime().maxMemory());
  }
}
