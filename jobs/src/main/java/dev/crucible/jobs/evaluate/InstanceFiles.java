package dev.crucible.jobs.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.EvaluationRecord;
import dev.crucible.data.Prediction;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.reward.grading.TestsReport;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import dev.crucible.rollout.evaluation.EvaluationResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The per-instance files, laid out as the SWE-bench harness lays them out:
 * {@code OUT/RUN/MODEL/INSTANCE/report.json}, {@code test_output.txt} and {@code patch.diff}. The
 * report holds SWE-bench's fields and, under {@code crucible}, the outcome, reason, attempts and
 * reward breakdown. Instances that ended in an infrastructure error get no report, so a resumed run
 * tries them again.
 */
public final class InstanceFiles {
  static final String REPORT = "report.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private InstanceFiles() {}

  static Path instanceDirectory(EvaluateSettings settings, String model, String instanceId) {
    return new Path(new Path(new Path(settings.out(), settings.runId()), Prediction.modelFolder(model)), instanceId);
  }

  /** Writes the instance's files; each is committed atomically, the report last. */
  static void write(EvaluateSettings settings, String model, String patch, EvaluationResult result, Configuration conf) {
    Path directory = instanceDirectory(settings, model, result.instanceId());
    writeText(new Path(directory, "patch.diff"), patch == null ? "" : patch, conf);
    writeText(new Path(directory, "test_output.txt"), result.testOutput(), conf);
    if (result.outcome() != EvaluationOutcome.ERROR) {
      writeText(new Path(directory, REPORT), report(result, patch).toPrettyString(), conf);
    }
  }

  /** The record of an instance whose report exists, or empty. */
  static Optional<EvaluationRecord> readRecord(EvaluateSettings settings, String model, String instanceId, Configuration conf) {
    Path report = new Path(instanceDirectory(settings, model, instanceId), REPORT);
    try {
      if (!HadoopFiles.fileSystem(report, conf).exists(report)) {
        return Optional.empty();
      }
      try (BufferedReader in = HadoopFiles.openText(report, conf)) {
        JsonNode crucible = MAPPER.readTree(in).path(instanceId).path("crucible");
        return Optional.of(
            new EvaluationRecord(
                settings.runId(), instanceId, model, crucible.path("outcome").asText(),
                crucible.path("reason").isNull() ? null : crucible.path("reason").asText(null),
                crucible.path("patch_method").asText(), crucible.path("attempts").asInt(),
                crucible.path("duration_ms").asLong(), reward(crucible.path("reward"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + report, e);
    }
  }

  static EvaluationRecord record(EvaluateSettings settings, String model, EvaluationResult result) {
    return new EvaluationRecord(
        settings.runId(), result.instanceId(), model, result.outcome().reportName(), result.reason(), result.patchMethod(),
        result.attempts(), result.durationMillis(), result.reward());
  }

  static ObjectNode report(EvaluationResult result, String patch) {
    ObjectNode instance = MAPPER.createObjectNode();
    instance.put("patch_is_None", patch == null);
    instance.put("patch_exists", patch != null && !patch.isBlank());
    instance.put("patch_successfully_applied", result.patchApplied());
    instance.put("resolved", result.outcome() == EvaluationOutcome.RESOLVED);
    if (result.tests() != null) {
      ObjectNode status = instance.putObject("tests_status");
      TestsReport tests = result.tests();
      group(status, "FAIL_TO_PASS", tests.failToPassSuccess(), tests.failToPassFailure());
      group(status, "PASS_TO_PASS", tests.passToPassSuccess(), tests.passToPassFailure());
      group(status, "FAIL_TO_FAIL", List.of(), List.of());
      group(status, "PASS_TO_FAIL", List.of(), List.of());
    }
    ObjectNode crucible = instance.putObject("crucible");
    crucible.put("outcome", result.outcome().reportName());
    crucible.put("reason", result.reason());
    crucible.put("patch_method", result.patchMethod());
    crucible.put("attempts", result.attempts());
    crucible.put("duration_ms", result.durationMillis());
    if (result.reward() != null) {
      crucible.set("reward", MAPPER.valueToTree(result.reward()));
    } else {
      crucible.putNull("reward");
    }
    ObjectNode report = MAPPER.createObjectNode();
    report.set(result.instanceId(), instance);
    return report;
  }

  private static void group(ObjectNode status, String name, List<String> success, List<String> failure) {
    ObjectNode group = status.putObject(name);
    ArrayNode successes = group.putArray("success");
    success.forEach(successes::add);
    ArrayNode failures = group.putArray("failure");
    failure.forEach(failures::add);
  }

  private static RewardBreakdown reward(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      return MAPPER.treeToValue(node, RewardBreakdown.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeText(Path file, String text, Configuration conf) {
    try {
      HadoopFiles.writeAtomically(file, conf, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
