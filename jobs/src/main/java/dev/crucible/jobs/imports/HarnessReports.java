package dev.crucible.jobs.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.reward.grading.TestsReport;
import dev.crucible.reward.signals.CompositeReward;
import dev.crucible.reward.signals.RewardWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The official harness's reports of imported submissions ({@code DIR/INSTANCE/report.json}), which grade
 * an imported episode: resolved or unresolved as its report says, its reward from the report's tests.
 */
final class HarnessReports {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path folder;

  /** @param folder the reports' folder, or null when the import has none */
  HarnessReports(Path folder) {
    this.folder = folder;
  }

  /** How a report graded an episode. */
  record Grade(Outcome outcome, String reason, RewardBreakdown reward) {}

  /** The grade of {@code instanceId}'s submission after {@code steps} steps, or empty when no report holds its tests' results. */
  Optional<Grade> grade(String instanceId, int steps) {
    JsonNode report = report(instanceId);
    if (report == null || !report.has("tests_status")) {
      return Optional.empty();
    }
    TestsReport tests = new TestsReport(strings(report, "FAIL_TO_PASS", "success"), strings(report, "FAIL_TO_PASS", "failure"),
        strings(report, "PASS_TO_PASS", "success"), strings(report, "PASS_TO_PASS", "failure"));
    RewardBreakdown reward = CompositeReward.compute(tests, null, 0, 0, steps, 0.0, RewardWeights.defaults());
    Outcome outcome = report.path("resolved").asBoolean(false) && reward.resolved() ? Outcome.RESOLVED : Outcome.UNRESOLVED;
    return Optional.of(new Grade(outcome, "graded by " + file(instanceId), reward));
  }

  /** Why {@code instanceId}'s submission has no grade here. */
  String ungraded(String instanceId) {
    return folder == null ? "not graded: import with --reports, the harness's reports of these submissions"
        : "not graded: " + file(instanceId) + " is missing or has no test results (the patch did not apply or the run failed)";
  }

  private Path file(String instanceId) {
    return folder.resolve(instanceId).resolve("report.json");
  }

  /** The instance's entry in its official {@code report.json}, or null when there is none. */
  private JsonNode report(String instanceId) {
    if (folder == null || !Files.isRegularFile(file(instanceId))) {
      return null;
    }
    Path file = file(instanceId);
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
}
