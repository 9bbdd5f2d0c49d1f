package dev.crucible.jobs.imports;

import dev.crucible.data.EpisodeId;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.RunLayout;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes imported episodes as a run's trajectory table ({@code RUN/trajectories/iteration=0}), which
 * {@code train sft} reads like any run's: a task's second episode is its next sample. The run folder
 * must hold no trajectories yet.
 */
public final class ImportedRun {
  private ImportedRun() {}

  /** What an import wrote. */
  public record Summary(int episodes, Map<Outcome, Integer> outcomes, int ungraded, int mappedCalls, int textCalls) {}

  /** Refuses a run folder that already holds trajectories, before anything is read. */
  static void requireNew(Path run) {
    if (Files.exists(run.resolve(RunLayout.TRAJECTORIES))) {
      throw new InvalidInputException(new InputProblem(run.toString(), 0, null, "already holds trajectories; import into a new run folder"));
    }
  }

  /** Writes {@code episodes} of {@code source} into {@code run}, which {@link #requireNew} passed, and prints what was written. */
  static Summary write(Path run, String source, List<ImportedEpisode> episodes, PrintStream progress) {
    TrajectoryStore store = new TrajectoryStore(HadoopFiles.local(run), new Configuration());
    Map<String, Integer> samples = new HashMap<>();
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    int ungraded = 0;
    int mapped = 0;
    int text = 0;
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
      for (ImportedEpisode episode : episodes) {
        int sample = samples.merge(episode.instanceId(), 1, Integer::sum) - 1;
        writer.write(new Trajectory(EpisodeId.of(store.runId(), 0, episode.instanceId(), sample), store.runId(), 0, episode.instanceId(), sample,
            episode.policy(), source, source, ModeChooser.CONFIG, episode.turns(), episode.patch(), episode.outcome(), episode.reason(),
            episode.reward(), null, 0, 0));
        outcomes.merge(episode.outcome(), 1, Integer::sum);
        ungraded += episode.reward() == null && episode.outcome() == Outcome.UNRESOLVED ? 1 : 0;
        mapped += episode.mappedCalls();
        text += episode.textCalls();
      }
      writer.commit();
    }
    Summary summary = new Summary(episodes.size(), outcomes, ungraded, mapped, text);
    progress.printf("import: %d episodes from %s into %s: %s (%d of the unresolved ungraded); tool calls %d mapped, %d kept as text%n",
        summary.episodes(), source, run.resolve(RunLayout.TRAJECTORIES), outcomes, ungraded, mapped, text);
    return summary;
  }
}
