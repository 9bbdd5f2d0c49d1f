package dev.crucible.jobs.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.EvaluationRecord;
import java.util.List;
import java.util.function.Predicate;

/**
 * The run summary in the SWE-bench harness layout, plus Crucible's finer outcomes. Every prediction
 * lands in exactly one of resolved, unresolved (which includes patch_failed and timeout, as SWE-bench
 * counts them), empty_patch and error, so {@code submitted = completed + empty_patch + error}.
 *
 * @param totalInstances tasks in the task file
 * @param records one per prediction
 */
public record EvaluationSummary(int totalInstances, List<EvaluationRecord> records) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public EvaluationSummary {
    records = List.copyOf(records);
  }

  public long count(String outcome) {
    return records.stream().filter(r -> r.outcome().equals(outcome)).count();
  }

  public ObjectNode toJson() {
    ObjectNode json = MAPPER.createObjectNode();
    Predicate<EvaluationRecord> resolved = r -> r.outcome().equals("resolved");
    Predicate<EvaluationRecord> unresolved =
        r -> r.outcome().equals("unresolved") || r.outcome().equals("patch_failed") || r.outcome().equals("timeout");
    Predicate<EvaluationRecord> empty = r -> r.outcome().equals("empty_patch");
    Predicate<EvaluationRecord> error = r -> r.outcome().equals("error");
    json.put("total_instances", totalInstances);
    json.put("submitted_instances", records.size());
    json.put("completed_instances", records.stream().filter(resolved.or(unresolved)).count());
    json.put("resolved_instances", records.stream().filter(resolved).count());
    json.put("unresolved_instances", records.stream().filter(unresolved).count());
    json.put("empty_patch_instances", records.stream().filter(empty).count());
    json.put("error_instances", records.stream().filter(error).count());
    json.put("patch_failed_instances", count("patch_failed"));
    json.put("timeout_instances", count("timeout"));
    ids(json, "completed_ids", resolved.or(unresolved));
    ids(json, "resolved_ids", resolved);
    ids(json, "unresolved_ids", unresolved);
    ids(json, "empty_patch_ids", empty);
    ids(json, "error_ids", error);
    ids(json, "patch_failed_ids", r -> r.outcome().equals("patch_failed"));
    ids(json, "timeout_ids", r -> r.outcome().equals("timeout"));
    ObjectNode reasons = json.putObject("error_reasons");
    records.stream().filter(error).forEach(r -> reasons.put(r.instanceId(), r.reason()));
    json.put("schema_version", 2);
    return json;
  }

  private void ids(ObjectNode json, String name, Predicate<EvaluationRecord> which) {
    ArrayNode array = json.putArray(name);
    records.stream().filter(which).map(EvaluationRecord::instanceId).sorted().forEach(array::add);
  }
}
