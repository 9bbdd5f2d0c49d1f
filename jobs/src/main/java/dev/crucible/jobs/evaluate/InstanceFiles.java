package dev.crucible.jobs.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.EvaluationRecord;
import dev.crucible.data.Prediction;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.reward.swebench.InfraFailure;
import dev.crucible.reward.swebench.InstanceReport;
import dev.crucible.reward.swebench.RunSummary;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import dev.crucible.rollout.evaluation.EvaluationResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The per-instance files, laid out as the SWE-bench harness lays them out:
 * {@code OUT/RUN/MODEL/INSTANCE/report.json}, {@code test_output.txt} and {@code patch.diff}, with
 * Crucible's record of the attempt (outcome, reason, patch method, attempts, duration, reward) beside
 * them in {@code crucible.json}. As there, only a graded instance (resolved or not) gets a
 * {@code report.json}, in the official text byte for byte, written last: a patch that does not apply,
 * a timeout and an infrastructure error get none, so a resumed run tries them again, and an empty patch
 * gets no folder at all. A row run in its own image by its eval script also gets the harness's
 * {@code eval.sh} and {@code run_instance.log}, and its report is the one graded from the script's output.
 */
public final class InstanceFiles {
  static final String REPORT = RunSummary.REPORT;
  static final String RECORD = "crucible.json";
  static final String EVAL_SCRIPT = "eval.sh";
  static final String INSTANCE_LOG = "run_instance.log";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private InstanceFiles() {}

  static Path instanceDirectory(EvaluateSettings settings, String model, String instanceId) {
    return new Path(new Path(new Path(settings.out(), settings.runId()), Prediction.modelFolder(model)), instanceId);
  }

  /** Writes the instance's files; each is committed atomically, the report last. */
  static void write(EvaluateSettings settings, String model, String patch, EvaluationResult result, Configuration conf) {
    if (result.outcome() == EvaluationOutcome.EMPTY_PATCH) {
      return;
    }
    Path directory = instanceDirectory(settings, model, result.instanceId());
    writeText(new Path(directory, "patch.diff"), patch, conf);
    writeText(new Path(directory, RunSummary.TEST_OUTPUT), result.testOutput(), conf);
    writeText(new Path(directory, RECORD), record(result).toPrettyString(), conf);
    if (result.harness() != null) {
      if (result.harness().evalScript() != null) {
        writeText(new Path(directory, EVAL_SCRIPT), result.harness().evalScript(), conf);
      }
      writeText(new Path(directory, INSTANCE_LOG), result.harness().instanceLog(), conf);
    }
    if (result.outcome() == EvaluationOutcome.RESOLVED || result.outcome() == EvaluationOutcome.UNRESOLVED) {
      writeText(new Path(directory, REPORT), report(result).toJson(), conf);
    }
  }

  /** The record of an instance whose report exists, or empty. */
  static Optional<EvaluationRecord> readRecord(EvaluateSettings settings, String model, String instanceId, Configuration conf) {
    Path directory = instanceDirectory(settings, model, instanceId);
    Path record = new Path(directory, RECORD);
    try {
      FileSystem files = HadoopFiles.fileSystem(record, conf);
      if (!files.exists(new Path(directory, REPORT)) || !files.exists(record)) {
        return Optional.empty();
      }
      try (BufferedReader in = HadoopFiles.openText(record, conf)) {
        JsonNode crucible = MAPPER.readTree(in);
        return Optional.of(
            new EvaluationRecord(
                settings.runId(), instanceId, model, crucible.path("outcome").asText(),
                crucible.path("reason").isNull() ? null : crucible.path("reason").asText(null),
                crucible.path("patch_method").asText(), crucible.path("attempts").asInt(),
                crucible.path("duration_ms").asLong(), reward(crucible.path("reward"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + record, e);
    }
  }

  /** The run's instance folders, for the summary to read. */
  static RunSummary.InstanceFolders folders(EvaluateSettings settings, Configuration conf) {
    return (modelFolder, instanceId, fileName) -> {
      Path file = new Path(new Path(new Path(new Path(settings.out(), settings.runId()), modelFolder), instanceId), fileName);
      try {
        if (!HadoopFiles.fileSystem(file, conf).exists(file)) {
          return Optional.empty();
        }
        try (BufferedReader in = HadoopFiles.openText(file, conf)) {
          StringBuilder text = new StringBuilder();
          char[] buffer = new char[8192];
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            text.append(buffer, 0, n);
          }
          return Optional.of(text.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    };
  }

  static EvaluationRecord record(EvaluateSettings settings, String model, EvaluationResult result) {
    return new EvaluationRecord(
        settings.runId(), result.instanceId(), model, result.outcome().reportName(), result.reason(), result.patchMethod(),
        result.attempts(), result.durationMillis(), result.reward());
  }

  /**
   * The official report of a graded instance: tests that ran to a log that held up are graded; a log
   * the grading refused (its evidence did not hold) counts, as there, as a patch that did not apply
   * cleanly, with the infrastructure signature its output shows, if any.
   */
  static InstanceReport report(EvaluationResult result) {
    if (result.harness() != null && result.harness().report().isPresent()) {
      return result.harness().report().get();
    }
    boolean graded = result.reason() == null && result.tests() != null;
    if (!graded) {
      return new InstanceReport(
          result.instanceId(), false, false, false, InfraFailure.classify(result.testOutput()), Optional.empty(),
          Optional.ofNullable(result.reason()));
    }
    return new InstanceReport(
        result.instanceId(), false, true, result.outcome() == EvaluationOutcome.RESOLVED, Optional.empty(),
        Optional.of(result.tests()), Optional.empty());
  }

  private static ObjectNode record(EvaluationResult result) {
    ObjectNode crucible = MAPPER.createObjectNode();
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
    return crucible;
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
