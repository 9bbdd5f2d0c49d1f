package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.optionalString;
import static dev.crucible.data.parquet.AvroFields.requiredString;

import dev.crucible.data.EvalType;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.FieldValueException;
import dev.crucible.data.json.TestIdLists;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * {@link TaskInstance} to and from {@code task_instance.avsc}, the published SWE-bench Parquet layout
 * in which {@code FAIL_TO_PASS} and {@code PASS_TO_PASS} are JSON text; read also from files where
 * they are lists of strings, as SWE-bench 5.x, SWE-Gym and SWE-bench-extra publish them.
 */
public final class TaskInstanceCodec implements AvroCodec<TaskInstance> {
  public static final TaskInstanceCodec INSTANCE = new TaskInstanceCodec();

  private TaskInstanceCodec() {}

  @Override
  public Schema schema() {
    return AvroSchemas.TASK_INSTANCE;
  }

  @Override
  public String keyField() {
    return "instance_id";
  }

  @Override
  public String key(TaskInstance value) {
    return value.instanceId();
  }

  @Override
  public GenericRecord encode(TaskInstance task) {
    GenericData.Record record = new GenericData.Record(AvroSchemas.TASK_INSTANCE);
    record.put("instance_id", task.instanceId());
    record.put("repo", task.repo());
    record.put("base_commit", task.baseCommit());
    record.put("problem_statement", task.problemStatement());
    record.put("hints_text", task.hintsText());
    record.put("patch", task.patch());
    record.put("test_patch", task.testPatch());
    record.put("FAIL_TO_PASS", TestIdLists.toJsonText(task.failToPass()));
    record.put("PASS_TO_PASS", TestIdLists.toJsonText(task.passToPass()));
    record.put("version", task.version());
    record.put("environment_setup_commit", task.environmentSetupCommit());
    record.put("created_at", task.createdAt());
    record.put("image", task.image());
    record.put("test_cmd", task.testCmd());
    record.put("log_parser", task.logParser());
    record.put("hint_level", task.hintLevel() == null ? null : task.hintLevel().tableName());
    record.put("eval_type", task.evalType().rowValue());
    record.put("eval_script", task.evalScript());
    return record;
  }

  @Override
  public TaskInstance decode(GenericRecord r) {
    return new TaskInstance(
        requiredString(r, "instance_id"),
        requiredString(r, "repo"),
        requiredString(r, "base_commit"),
        requiredString(r, "problem_statement"),
        optionalString(r, "hints_text"),
        requiredString(r, "patch"),
        requiredString(r, "test_patch"),
        testIds(r, "FAIL_TO_PASS"),
        testIds(r, "PASS_TO_PASS"),
        optionalString(r, "version"),
        optionalString(r, "environment_setup_commit"),
        optionalString(r, "created_at"),
        optionalString(r, "image"),
        optionalString(r, "test_cmd"),
        optionalString(r, "log_parser"),
        hintLevel(r),
        evalType(r),
        optionalString(r, "eval_script"));
  }

  private static EvalType evalType(GenericRecord r) {
    try {
      return EvalType.ofRowValue(optionalString(r, "eval_type"));
    } catch (IllegalArgumentException e) {
      throw new FieldValueException("eval_type", e.getMessage());
    }
  }

  private static HintLevel hintLevel(GenericRecord r) {
    String name = optionalString(r, "hint_level");
    try {
      return name == null ? null : HintLevel.fromTableName(name);
    } catch (IllegalArgumentException e) {
      throw new FieldValueException("hint_level", e.getMessage());
    }
  }

  /** A test list as JSON text, or as a list of strings (SWE-bench 5.x's Parquet). */
  private static List<String> testIds(GenericRecord r, String field) {
    if (!(AvroFields.value(r, field) instanceof List<?> list)) {
      return TestIdLists.fromJsonText(field, requiredString(r, field));
    }
    List<String> ids = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof CharSequence id)) {
        throw new FieldValueException(field, "element " + i + " should be a test id string, got " + (list.get(i) == null ? "null" : list.get(i)));
      }
      ids.add(id.toString());
    }
    return ids;
  }
}
