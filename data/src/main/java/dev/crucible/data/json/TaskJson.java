package dev.crucible.data.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.EvalType;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.FieldValueException;

/**
 * Task instances in the SWE-bench JSON layout. Test lists are written as JSON text, as the published
 * dataset has them, and read in either that form or as plain arrays.
 */
public final class TaskJson {
  private TaskJson() {}

  /** Decodes one row; see {@link JsonRow} for the errors. */
  public static TaskInstance decode(JsonRow row) {
    return new TaskInstance(
        row.requiredString("instance_id"),
        row.requiredString("repo"),
        row.requiredString("base_commit"),
        row.requiredString("problem_statement"),
        row.optionalString("hints_text"),
        row.requiredString("patch"),
        row.requiredString("test_patch"),
        row.testIds("FAIL_TO_PASS"),
        row.testIds("PASS_TO_PASS"),
        row.optionalString("version"),
        row.optionalString("environment_setup_commit"),
        row.optionalString("created_at"),
        row.optionalString("image"),
        row.optionalString("test_cmd"),
        row.optionalString("log_parser"),
        hintLevel(row),
        evalType(row),
        row.optionalString("eval_script"));
  }

  /** Encodes one task with the SWE-bench field names and order. */
  public static ObjectNode encode(TaskInstance task) {
    ObjectNode node = JsonLines.MAPPER.createObjectNode();
    node.put("instance_id", task.instanceId());
    node.put("repo", task.repo());
    node.put("base_commit", task.baseCommit());
    node.put("problem_statement", task.problemStatement());
    node.put("hints_text", task.hintsText());
    node.put("patch", task.patch());
    node.put("test_patch", task.testPatch());
    node.put("FAIL_TO_PASS", TestIdLists.toJsonText(task.failToPass()));
    node.put("PASS_TO_PASS", TestIdLists.toJsonText(task.passToPass()));
    node.put("version", task.version());
    node.put("environment_setup_commit", task.environmentSetupCommit());
    node.put("created_at", task.createdAt());
    node.put("image", task.image());
    node.put("test_cmd", task.testCmd());
    node.put("log_parser", task.logParser());
    if (task.hintLevel() != null) {
      node.put("hint_level", task.hintLevel().tableName());
    }
    if (task.evalScript() != null || task.evalType() != EvalType.PASS_AND_FAIL) {
      node.put("eval_type", task.evalType().rowValue());
      node.put("eval_script", task.evalScript());
    }
    return node;
  }

  private static EvalType evalType(JsonRow row) {
    try {
      return EvalType.ofRowValue(row.optionalString("eval_type"));
    } catch (IllegalArgumentException e) {
      throw new FieldValueException("eval_type", e.getMessage());
    }
  }

  private static HintLevel hintLevel(JsonRow row) {
    String name = row.optionalString("hint_level");
    try {
      return name == null ? null : HintLevel.fromTableName(name);
    } catch (IllegalArgumentException e) {
      throw new FieldValueException("hint_level", e.getMessage());
    }
  }
}
