package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.optionalString;
import static dev.crucible.data.parquet.AvroFields.required;
import static dev.crucible.data.parquet.AvroFields.requiredString;

import dev.crucible.data.EvaluationRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link EvaluationRecord} to and from {@code evaluation.avsc}. */
public final class EvaluationCodec implements AvroCodec<EvaluationRecord> {
  public static final EvaluationCodec INSTANCE = new EvaluationCodec();

  private EvaluationCodec() {}

  @Override
  public Schema schema() {
    return AvroSchemas.EVALUATION;
  }

  @Override
  public String keyField() {
    return "instance_id";
  }

  @Override
  public String key(EvaluationRecord value) {
    return value.instanceId();
  }

  @Override
  public GenericRecord encode(EvaluationRecord e) {
    GenericData.Record record = new GenericData.Record(AvroSchemas.EVALUATION);
    record.put("run_id", e.runId());
    record.put("instance_id", e.instanceId());
    record.put("model", e.model());
    record.put("outcome", e.outcome());
    record.put("reason", e.reason());
    record.put("patch_method", e.patchMethod());
    record.put("attempts", e.attempts());
    record.put("duration_ms", e.durationMillis());
    RewardColumns.encode(e.reward(), record);
    return record;
  }

  @Override
  public EvaluationRecord decode(GenericRecord r) {
    return new EvaluationRecord(
        requiredString(r, "run_id"),
        requiredString(r, "instance_id"),
        requiredString(r, "model"),
        requiredString(r, "outcome"),
        optionalString(r, "reason"),
        requiredString(r, "patch_method"),
        required(r, "attempts", Integer.class),
        required(r, "duration_ms", Long.class),
        RewardColumns.decode(r));
  }
}
