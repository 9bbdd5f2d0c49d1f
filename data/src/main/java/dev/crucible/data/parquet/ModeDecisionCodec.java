package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.list;
import static dev.crucible.data.parquet.AvroFields.optional;
import static dev.crucible.data.parquet.AvroFields.required;
import static dev.crucible.data.parquet.AvroFields.requiredString;
import static dev.crucible.data.parquet.AvroFields.stringList;

import dev.crucible.data.ModeDecision;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link ModeDecision} to and from {@code mode_decision.avsc}. */
public final class ModeDecisionCodec implements AvroCodec<ModeDecision> {
  public static final ModeDecisionCodec INSTANCE = new ModeDecisionCodec();

  private ModeDecisionCodec() {}

  @Override
  public Schema schema() {
    return AvroSchemas.MODE_DECISION;
  }

  @Override
  public String keyField() {
    return "episode_id";
  }

  @Override
  public String key(ModeDecision value) {
    return value.episodeId() + "@" + value.iteration();
  }

  @Override
  public GenericRecord encode(ModeDecision decision) {
    GenericData.Record record = new GenericData.Record(AvroSchemas.MODE_DECISION);
    record.put("episode_id", decision.episodeId());
    record.put("run_id", decision.runId());
    record.put("iteration", decision.iteration());
    record.put("task_id", decision.taskId());
    record.put("sample_index", decision.sampleIndex());
    record.put("features", decision.features());
    record.put("modes", decision.modes());
    record.put("probabilities", decision.probabilities());
    record.put("chosen_mode", decision.chosenMode());
    record.put("baseline", decision.baseline());
    record.put("reward", decision.reward());
    record.put("tokens", decision.tokens());
    record.put("cost_adjusted_return", decision.costAdjustedReturn());
    return record;
  }

  @Override
  public ModeDecision decode(GenericRecord r) {
    return new ModeDecision(
        requiredString(r, "episode_id"),
        requiredString(r, "run_id"),
        required(r, "iteration", Integer.class),
        requiredString(r, "task_id"),
        required(r, "sample_index", Integer.class),
        list(r, "features", Float.class),
        stringList(r, "modes"),
        list(r, "probabilities", Float.class),
        requiredString(r, "chosen_mode"),
        required(r, "baseline", Double.class),
        optional(r, "reward", Double.class),
        optional(r, "tokens", Long.class),
        optional(r, "cost_adjusted_return", Double.class));
  }
}
