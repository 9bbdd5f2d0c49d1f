package dev.crucible.jobs.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.imports.SweAgentTrajectory;
import dev.crucible.reward.grading.TestsReport;
import dev.crucible.reward.signals.CompositeReward;
import dev.crucible.reward.signals.RewardWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads SWE-agent trajectory files as imported episodes ({@link ImportedRun}), one per file. With the official harness's reports of those submissions
 * ({@code REPORTS/INSTANCE/report.json}), an episode is resolved or unresolved as its report says, its
 * reward from the report's tests; an episode without a patch is the agent's error; any other is
 * unresolved and ungraded (no reward), its reason saying why.
 */
public final class SweAgentImport {
  /** The policy, scaffold and mode imported episodes are recorded under. */
  public static final String SOURCE = "swe-agent";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String root;
  private final Path reports;
  private final PrintStream progress;

  /**
   * @param root the repository's folder in the agent's containers, which absolute paths are related to
   * @param reports the harness's folder of per-instance reports for these submissions, or null
   */
  public SweAgentImport(String root, Path reports, PrintStream progress) {
    this.root = root;
    this.reports = reports;
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
    JsonNode report = report(id);
    if (imported.submission().isBlank()) {
      outcome = Outcome.AGENT_ERROR;
      reason = "the agent submitted no patch (exit status '" + imported.exitStatus() + "')";
    } else if (report != null && report.has("tests_status")) {
      TestsReport tests = new TestsReport(strings(report, "FAIL_TO_PASS", "success"), strings(report, "FAIL_TO_PASS", "failure"),
          strings(report, "PASS_TO_PASS", "success"), strings(report, "PASS_TO_PASS", "failure"));
      reward = CompositeReward.compute(tests, null, 0, 0, steps, 0.0, RewardWeights.defaults());
      outcome = report.path("resolved").asBoolean(false) && reward.resolved() ? Outcome.RESOLVED : Outcome.UNRESOLVED;
      reason = "graded by " + reports.resolve(id).resolve("report.json");
    } else {
      outcome = Outcome.UNRESOLVED;
      reason = reports == null ? "not graded: import with --reports, the harness's reports of these submissions"
          : "not graded: " + reports.resolve(id).resolve("report.json") + " is missing or has no test results (the patch did not apply or the run failed)";
    }
    return new ImportedEpisode(id, SOURCE, imported.turns(), imported.submission(), outcome, reason, reward, imported.mappedCalls(),
        imported.textCalls());
  }

  /** The instance's entry in its official {@code report.json}, or null when there is none. */
  private JsonNode report(String instanceId) {
    if (reports == null) {
      return null;
    }
    Path file = reports.resolve(instanceId).resolve("report.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode entry = MAPPER.readTree(file.toFile()).get(instanceId);
      if (entry == null || !entry.isObject()) {
        throw new InvalidInputException(new InputProblem(file.toString(), 0, instanceId, "a report.json holds its instance's entry"));
      }
      return entry;
    } catch (IOException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null, "not readable as JSON: " + e.getMessage()));
    }
  }

  private static List<String> strings(JsonNode report, String kind, String result) {
    List<String> ids = new ArrayList<>();
    report.path("tests_status").path(kind).path(result).forEach(id -> ids.add(id.asText()));
    return ids;
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
