package dev.crucible.reward.signals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * The fraction of a patch's added or changed lines that the tests executed, from a coverage.py JSON
 * report ({@code coverage json}). Only executable lines count: a changed comment or blank line is in
 * neither coverage.py's executed nor its missing lines, and is left out.
 */
public final class ChangedLineCoverage {
  private ChangedLineCoverage() {}

  /**
   * @param changedLines from {@link UnifiedDiff#changedLines}
   * @param coverageReport the parsed JSON of {@code coverage json}
   * @return the fraction in [0, 1], or {@code null} when no changed line is executable (nothing to measure)
   */
  public static Double fraction(Map<String, SortedSet<Integer>> changedLines, JsonNode coverageReport) {
    JsonNode files = coverageReport.path("files");
    int executable = 0;
    int executed = 0;
    for (Map.Entry<String, SortedSet<Integer>> file : changedLines.entrySet()) {
      JsonNode report = files.path(file.getKey());
      Set<Integer> ran = lines(report.path("executed_lines"));
      Set<Integer> missed = lines(report.path("missing_lines"));
      for (int line : file.getValue()) {
        if (ran.contains(line)) {
          executable++;
          executed++;
        } else if (missed.contains(line)) {
          executable++;
        }
      }
    }
    return executable == 0 ? null : (double) executed / executable;
  }

  private static Set<Integer> lines(JsonNode array) {
    Set<Integer> lines = new HashSet<>();
    array.forEach(node -> lines.add(node.asInt()));
    return lines;
  }
}
