package dev.crucible.jobs.imports;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Outcome;
import dev.crucible.data.imports.SweSmithTrajectory;
import dev.crucible.reward.signals.CompositeReward;
import dev.crucible.reward.signals.RewardWeights;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads SWE-smith's published trajectory rows (Parquet, a folder of shards, or JSON Lines) as imported
 * episodes ({@link ImportedRun}), one per row. A row published as resolved is resolved, its reward
 * that of a resolving patch with nothing else measured ({@link CompositeReward#resolvedByLabel}); any
 * other is unresolved and ungraded (the rows carry no test results), and one without a patch is the
 * agent's error.
 */
public final class SweSmithImport {
  public static final String SOURCE = "swe-smith";

  private final PrintStream progress;

  public SweSmithImport(PrintStream progress) {
    this.progress = progress;
  }

  /**
   * Imports every row of {@code inputs} into the run folder {@code run}, which must hold no trajectories yet.
   *
   * @throws InvalidInputException naming every row and field that is not a trajectory, or a run that has trajectories
   */
  public ImportedRun.Summary run(List<Path> inputs, Path run) {
    ImportedRun.requireNew(run);
    List<ImportedEpisode> episodes = new ArrayList<>();
    for (Path input : inputs) {
      for (SweSmithTrajectory row : SweSmithTrajectory.read(new org.apache.hadoop.fs.Path(input.toAbsolutePath().toString()), new Configuration())) {
        episodes.add(episode(row, input));
      }
    }
    return ImportedRun.write(run, SOURCE, episodes, progress);
  }

  private static ImportedEpisode episode(SweSmithTrajectory row, Path source) {
    String policy = SOURCE + ":" + row.model();
    if (row.patch().isBlank()) {
      return new ImportedEpisode(row.instanceId(), policy, row.turns(), "", Outcome.AGENT_ERROR, "the row has no patch", null, 0, 0);
    }
    if (row.resolved()) {
      return new ImportedEpisode(row.instanceId(), policy, row.turns(), row.patch(), Outcome.RESOLVED, "published as resolved in " + source,
          CompositeReward.resolvedByLabel(ImportedEpisode.steps(row.turns()), RewardWeights.defaults()), 0, 0);
    }
    return new ImportedEpisode(row.instanceId(), policy, row.turns(), row.patch(), Outcome.UNRESOLVED,
        "published as unresolved in " + source + "; its tests' results are not in the data", null, 0, 0);
  }
}
