package dev.crucible.reward.swebench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.Prediction;
import dev.crucible.reward.parsers.PythonText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's summary ({@code MODEL.RUN.json}) as SWE-bench 5's {@code make_run_report} makes it from the
 * instance folders a run left: an instance with a readable {@code report.json} is completed (resolved
 * or not), one without is an error, an empty patch was never run, an instance without a prediction is
 * incomplete; the unresolved and errors whose logs show an infrastructure signature are also listed
 * apart. Ids are sorted by code unit (Python sorts by code point: the same outside astral characters).
 */
public final class RunSummary {
  public static final String REPORT = "report.json";
  public static final String TEST_OUTPUT = "test_output.txt";
  public static final String INSTANCE_LOG = "run_instance.log";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a file an instance folder holds, if it exists. */
  @FunctionalInterface
  public interface InstanceFolders {
    Optional<String> read(String modelFolder, String instanceId, String fileName);
  }

  private final Map<String, Object> fields;

  private RunSummary(Map<String, Object> fields) {
    this.fields = fields;
  }

  /**
   * Summarizes a run over {@code datasetIds}, the ids of every row evaluated against, from the
   * predictions by instance id and the instance folders.
   */
  public static RunSummary of(List<String> datasetIds, Map<String, Prediction> predictions, InstanceFolders folders) {
    SortedSet<String> completed = new TreeSet<>();
    SortedSet<String> resolved = new TreeSet<>();
    SortedSet<String> unresolved = new TreeSet<>();
    SortedSet<String> errors = new TreeSet<>();
    SortedSet<String> incomplete = new TreeSet<>();
    SortedSet<String> emptyPatch = new TreeSet<>();
    for (String id : datasetIds) {
      Prediction prediction = predictions.get(id);
      if (prediction == null) {
        incomplete.add(id);
        continue;
      }
      if (prediction.modelPatch().isEmpty()) {
        emptyPatch.add(id);
        continue;
      }
      Optional<String> report = folders.read(Prediction.modelFolder(prediction.modelNameOrPath()), id, REPORT);
      if (report.isEmpty()) {
        errors.add(id);
        continue;
      }
      completed.add(id);
      Optional<Boolean> isResolved = resolvedIn(report.get(), id);
      if (isResolved.isEmpty()) {
        errors.add(id);
      } else {
        (isResolved.get() ? resolved : unresolved).add(id);
      }
    }
    SortedSet<String> infraFailures = new TreeSet<>();
    SortedSet<String> ambiguousFailures = new TreeSet<>();
    SortedMap<String, String> reasons = new TreeMap<>();
    SortedSet<String> failed = new TreeSet<>(unresolved);
    failed.addAll(errors);
    for (String id : failed) {
      String folder = Prediction.modelFolder(predictions.get(id).modelNameOrPath());
      List<String> logs = new ArrayList<>();
      folders.read(folder, id, TEST_OUTPUT).map(PythonText::universalNewlines).ifPresent(logs::add);
      folders.read(folder, id, INSTANCE_LOG).map(PythonText::universalNewlines).ifPresent(logs::add);
      InfraFailure.classify(String.join("\n", logs)).ifPresent(failure -> {
        reasons.put(id, failure.reason());
        (failure.tier() == InfraFailure.Tier.ENVIRONMENT ? infraFailures : ambiguousFailures).add(id);
      });
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("total_instances", datasetIds.size());
    fields.put("submitted_instances", predictions.size());
    fields.put("completed_instances", completed.size());
    fields.put("resolved_instances", resolved.size());
    fields.put("unresolved_instances", unresolved.size());
    fields.put("infra_failure_instances", infraFailures.size());
    fields.put("ambiguous_failure_instances", ambiguousFailures.size());
    fields.put("empty_patch_instances", emptyPatch.size());
    fields.put("error_instances", errors.size());
    fields.put("completed_ids", list(completed));
    fields.put("incomplete_ids", list(incomplete));
    fields.put("empty_patch_ids", list(emptyPatch));
    fields.put("submitted_ids", list(new TreeSet<>(predictions.keySet())));
    fields.put("resolved_ids", list(resolved));
    fields.put("unresolved_ids", list(unresolved));
    fields.put("infra_failure_ids", list(infraFailures));
    fields.put("ambiguous_failure_ids", list(ambiguousFailures));
    fields.put("failure_reasons", new LinkedHashMap<>(reasons));
    fields.put("error_ids", list(errors));
    fields.put("schema_version", 2);
    return new RunSummary(fields);
  }

  /**
   * Whether a report says its instance was resolved (by JSON truthiness, as Python reads it), or empty
   * when the report is blank, not JSON, or lacks the instance or the field: the harness counts those
   * as errors.
   */
  private static Optional<Boolean> resolvedIn(String report, String instanceId) {
    if (report.strip().isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode resolved = JSON.readTree(report).path(instanceId).path("resolved");
      return resolved.isMissingNode() ? Optional.empty() : Optional.of(truthy(resolved));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean truthy(JsonNode value) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return value.doubleValue() != 0;
    }
    if (value.isTextual()) {
      return !value.textValue().isEmpty();
    }
    return value.isContainerNode() && value.size() > 0;
  }

  private static List<String> list(Collection<String> ids) {
    return List.copyOf(ids);
  }

  /** The summary's file name for a run of {@code model}: {@code MODEL.RUN_ID.json}, the model's slashes as {@code __}. */
  public static String fileName(String model, String runId) {
    return Prediction.modelFolder(model) + "." + runId + ".json";
  }

  /** A count or id list by its SWE-bench key ({@code resolved_ids}, {@code error_instances}, ...). */
  public Object get(String key) {
    return fields.get(key);
  }

  /** The summary file's text, byte for byte as the official harness writes it. */
  public String toJson() {
    return PythonJson.dumps(fields) + "\n";
  }
}
