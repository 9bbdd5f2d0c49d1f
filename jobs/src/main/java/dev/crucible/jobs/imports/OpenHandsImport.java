package dev.crucible.jobs.imports;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Outcome;
import dev.crucible.data.imports.OpenHandsTrajectory;
import dev.crucible.reward.signals.CompositeReward;
import dev.crucible.reward.signals.RewardWeights;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads OpenHands' SWE-bench outputs ({@code output.jsonl}) as imported episodes ({@link ImportedRun}),
 * one per line. An episode is graded by the official harness's report of its patch when there is one
 * ({@link HarnessReports}); else by OpenHands' own evaluation when the line carries it
 * ({@code test_result.report.resolved}): resolved with the reward of a resolving patch with nothing else
 * measured ({@link CompositeReward#resolvedByLabel}), unresolved ungraded; else it is unresolved and
 * ungraded. An episode that left no change is the agent's error.
 */
public final class OpenHandsImport {
  public static final String SOURCE = "openhands";

  private final String root;
  private final HarnessReports reports;
  private final PrintStream progress;

  /**
   * @param root the repository's folder in OpenHands' containers, or null for each line's own
   *     ({@link OpenHandsTrajectory#read})
   * @param reports the harness's folder of per-instance reports for these patches, or null
   */
  public OpenHandsImport(String root, Path reports, PrintStream progress) {
    this.root = root;
    this.reports = new HarnessReports(reports);
    this.progress = progress;
  }

  /**
   * Imports every line of the {@code output.jsonl} files {@code inputs} into the run folder {@code run},
   * which must hold no trajectories yet.
   *
   * @throws InvalidInputException naming every line and field that is not an OpenHands output, or a run that has trajectories
   */
  public ImportedRun.Summary run(List<Path> inputs, Path run) {
    ImportedRun.requireNew(run);
    List<ImportedEpisode> episodes = new ArrayList<>();
    for (Path input : inputs) {
      for (OpenHandsTrajectory line : OpenHandsTrajectory.read(new org.apache.hadoop.fs.Path(input.toAbsolutePath().toString()), new Configuration(), root)) {
        episodes.add(episode(line, input));
      }
    }
    return ImportedRun.write(run, SOURCE, episodes, progress);
  }

  private ImportedEpisode episode(OpenHandsTrajectory line, Path source) {
    String id = line.instanceId();
    int steps = ImportedEpisode.steps(line.turns());
    if (line.patch().isBlank()) {
      String error = line.error().isBlank() ? "" : " (error: " + line.error() + ")";
      return episode(line, Outcome.AGENT_ERROR, "the agent left no change" + error, null);
    }
    Optional<HarnessReports.Grade> grade = reports.grade(id, steps);
    if (grade.isPresent()) {
      return episode(line, grade.get().outcome(), grade.get().reason(), grade.get().reward());
    }
    if (Boolean.TRUE.equals(line.reportedResolved())) {
      return episode(line, Outcome.RESOLVED, "OpenHands' evaluation in " + source + " says resolved",
          CompositeReward.resolvedByLabel(steps, RewardWeights.defaults()));
    }
    if (Boolean.FALSE.equals(line.reportedResolved())) {
      return episode(line, Outcome.UNRESOLVED, "OpenHands' evaluation in " + source + " says unresolved; its tests' results are not in the data",
          null);
    }
    return episode(line, Outcome.UNRESOLVED, reports.ungraded(id), null);
  }

  private static ImportedEpisode episode(OpenHandsTrajectory line, Outcome outcome, String reason, dev.crucible.data.RewardBreakdown reward) {
    return new ImportedEpisode(line.instanceId(), SOURCE, line.turns(), line.patch(), outcome, reason, reward, line.mappedCalls(), line.textCalls());
  }
}
