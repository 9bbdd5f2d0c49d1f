package dev.crucible.data;

/**
 * What the sandbox of an episode cost.
 *
 * @param startMillis time from asking for the sandbox to it being ready, in milliseconds
 * @param cpuMillis CPU time used, in milliseconds, or {@code null} when the backend cannot tell
 * @param peakMemoryBytes peak memory, in bytes, or {@code null} when the backend cannot tell
 */
public record ContainerMetrics(long startMillis, Long cpuMillis, Long peakMemoryBytes) {

  public ContainerMetrics {
    Checks.requireNonNegative(startMillis, "startMillis");
    if (cpuMillis != null) {
      Checks.requireNonNegative(cpuMillis, "cpuMillis");
    }
    if (peakMemoryBytes != null) {
      Checks.requireNonNegative(peakMemoryBytes, "peakMemoryBytes");
    }
  }
}
