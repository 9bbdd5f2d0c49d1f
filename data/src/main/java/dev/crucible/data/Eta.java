package dev.crucible.data;

import java.util.Locale;

/** The time left of work going at the rate it went so far, as a progress line shows it. */
public final class Eta {
  private Eta() {}

  /**
   * {@code "ETA 1m05s"} for {@code done} of {@code total} units after {@code elapsedSeconds}; {@code "ETA -"}
   * before the first unit, {@code "ETA 0s"} when all are done.
   */
  public static String of(long done, long total, double elapsedSeconds) {
    if (done >= total) {
      return "ETA 0s";
    }
    if (done <= 0 || !(elapsedSeconds > 0)) {
      return "ETA -";
    }
    long seconds = Math.round(elapsedSeconds / done * (total - done));
    if (seconds >= 3600) {
      return String.format(Locale.ROOT, "ETA %dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return seconds >= 60 ? String.format(Locale.ROOT, "ETA %dm%02ds", seconds / 60, seconds % 60) : "ETA " + seconds + "s";
  }
}
