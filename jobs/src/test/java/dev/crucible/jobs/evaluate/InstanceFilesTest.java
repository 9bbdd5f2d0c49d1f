package dev.crucible.jobs.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.EvaluationRecord;
import dev.crucible.data.Prediction;
import dev.crucible.reward.grading.TestsReport;
import dev.crucible.reward.swebench.RunSummary;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import dev.crucible.rollout.evaluation.EvaluationResult;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files each outcome leaves, and what the official summary and a resumed run make of them. */
class InstanceFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path out;

  @Test
  void onlyGradedInstancesGetAnOfficialReportAndTheSummaryCountsTheRestAsErrors() throws Exception {
    EvaluateSettings settings =
        new EvaluateSettings("r1", out.toString(), 1, false, SandboxChoice.docker(), Duration.ofMinutes(1), 1, false, false,
            ImageLimits.DEFAULT, null);
    Configuration conf = new Configuration();
    TestsReport passing = new TestsReport(List.of("t::f"), List.of(), List.of("t::p"), List.of());
    TestsReport failing = new TestsReport(List.of(), List.of("t::f"), List.of("t::p"), List.of());
    Map<String, EvaluationResult> results = new LinkedHashMap<>();
    results.put("a__gold-1", result("a__gold-1", EvaluationOutcome.RESOLVED, null, "git_apply", passing, "4 passed"));
    results.put("a__wrong-2", result("a__wrong-2", EvaluationOutcome.UNRESOLVED, null, "git_apply", failing, "1 failed"));
    results.put("a__forged-3", result("a__forged-3", EvaluationOutcome.UNRESOLVED, "the log says t::f passed but pytest's report says nothing of it",
        "git_apply", failing, "Could not resolve host: pypi.org"));
    results.put("a__misplaced-4", result("a__misplaced-4", EvaluationOutcome.PATCH_FAILED, "the patch applies neither", "none", null, ""));
    results.put("a__empty-5", result("a__empty-5", EvaluationOutcome.EMPTY_PATCH, null, "none", null, ""));
    Map<String, Prediction> predictions = new LinkedHashMap<>();
    results.forEach((id, result) -> {
      String patch = id.equals("a__empty-5") ? "" : "diff --git a/x b/x\n";
      predictions.put(id, new Prediction(id, "org/m", patch));
      InstanceFiles.write(settings, "org/m", patch, result, conf);
    });

    Path instances = out.resolve("r1/org__m");
    assertThat(instances.resolve("a__gold-1/report.json")).content().startsWith("{\n    \"a__gold-1\": {\n");
    JsonNode forged = JSON.readTree(instances.resolve("a__forged-3/report.json").toFile()).get("a__forged-3");
    assertThat(forged.get("patch_successfully_applied").asBoolean()).as("a refused log is no clean application").isFalse();
    assertThat(forged.has("tests_status")).isFalse();
    assertThat(forged.get("infra_failure").asBoolean()).isTrue();
    assertThat(forged.get("infra_failure_reason").asText()).isEqualTo("network_unreachable");
    assertThat(instances.resolve("a__misplaced-4/report.json")).doesNotExist();
    assertThat(instances.resolve("a__misplaced-4/crucible.json")).exists();
    assertThat(instances.resolve("a__empty-5")).doesNotExist();

    RunSummary summary =
        RunSummary.of(List.of("a__gold-1", "a__wrong-2", "a__forged-3", "a__misplaced-4", "a__empty-5", "a__missing-6"), predictions,
            InstanceFiles.folders(settings, conf));
    assertThat(summary.get("resolved_ids")).isEqualTo(List.of("a__gold-1"));
    assertThat(summary.get("unresolved_ids")).isEqualTo(List.of("a__forged-3", "a__wrong-2"));
    assertThat(summary.get("error_ids")).isEqualTo(List.of("a__misplaced-4"));
    assertThat(summary.get("empty_patch_ids")).isEqualTo(List.of("a__empty-5"));
    assertThat(summary.get("incomplete_ids")).isEqualTo(List.of("a__missing-6"));
    assertThat(summary.get("infra_failure_ids")).isEqualTo(List.of("a__forged-3"));

    Optional<EvaluationRecord> kept = InstanceFiles.readRecord(settings, "org/m", "a__wrong-2", conf);
    assertThat(kept).map(EvaluationRecord::outcome).contains("unresolved");
    assertThat(InstanceFiles.readRecord(settings, "org/m", "a__misplaced-4", conf)).as("retried on the next run").isEmpty();
    assertThat(Files.exists(instances.resolve("a__gold-1/test_output.txt"))).isTrue();
  }

  private static EvaluationResult result(
      String id, EvaluationOutcome outcome, String reason, String method, TestsReport tests, String output) {
    return new EvaluationResult(id, outcome, reason, method, tests, output, null, 1, 10);
  }
}
