package dev.crucible.jobs.imports;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.imports.SweAgentTrajectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads SWE-agent trajectory files as imported episodes ({@link ImportedRun}), one per file. With the official harness's reports of those submissions
 * ({@link HarnessReports}), an episode is resolved or unresolved as its report says, its reward from the
 * report's tests; an episode without a patch is the agent's error; any other is unresolved and ungraded
 * (no reward), its reason saying why.
 */
public final class SweAgentImport {
  /** The policy, scaffold and mode imported episodes are recorded under. */
  public static final String SOURCE = "swe-agent";

  private final String root;
  private final HarnessReports reports;
  private final PrintStream progress;

  /**
   * @param root the repository's folder in the agent's containers, which absolute paths are related to
   * @param reports the harness's folder of per-instance reports for these submissions, or null
   */
  public SweAgentImport(String root, Path reports, PrintStream progress) {
    this.root = root;
    this.reports = new HarnessReports(reports);
    this.progress = progress;
  }

  /**
   * Imports the {@code .traj} files among {@code inputs} (files, or folders searched for them) into the
   * run folder {@code run}, which must hold no trajectories yet.
   *
   * @throws InvalidInputException naming every input that is missing or no trajectory, or a run that has trajectories
   */
  public ImportedRun.Summary run(List<Path> inputs, Path run) {
    ImportedRun.requireNew(run);
    List<ImportedEpisode> episodes = new ArrayList<>();
    for (Path file : trajectoryFiles(inputs)) {
      episodes.add(episode(SweAgentTrajectory.read(file, root)));
    }
    return ImportedRun.write(run, SOURCE, episodes, progress);
  }

  private ImportedEpisode episode(SweAgentTrajectory imported) {
    String id = imported.instanceId();
    int steps = ImportedEpisode.steps(imported.turns());
    Outcome outcome;
    String reason;
    RewardBreakdown reward = null;
    Optional<HarnessReports.Grade> grade = reports.grade(id, steps);
    if (imported.submission().isBlank()) {
      outcome = Outcome.AGENT_ERROR;
      reason = "the agent submitted no patch (exit status '" + imported.exitStatus() + "')";
    } else if (grade.isPresent()) {
      outcome = grade.get().outcome();
      reason = grade.get().reason();
      reward = grade.get().reward();
    } else {
      outcome = Outcome.UNRESOLVED;
      reason = reports.ungraded(id);
    }
    return new ImportedEpisode(id, SOURCE, imported.turns(), imported.submission(), outcome, reason, reward, imported.mappedCalls(),
        imported.textCalls());
  }

  private static List<Path> trajectoryFiles(List<Path> inputs) {
    List<Path> files = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isRegularFile(input)) {
        files.add(input);
      } else if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(path -> Files.isRegularFile(path) && path.getFileName().toString().endsWith(".traj")).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + input, e);
        }
      } else {
        problems.add(new InputProblem(input.toString(), 0, null, "no such file or directory"));
      }
    }
    if (problems.isEmpty() && files.isEmpty()) {
      problems.add(new InputProblem(String.join(", ", inputs.stream().map(Path::toString).toList()), 0, null, "holds no .traj file"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return files;
  }
}
