package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.optional;
import static dev.crucible.data.parquet.AvroFields.required;
import static dev.crucible.data.parquet.AvroFields.requiredString;

import dev.crucible.data.PreferencePair;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link PreferencePair} to and from {@code preference_pair.avsc}. */
public final class PreferencePairCodec implements AvroCodec<PreferencePair> {
  public static final PreferencePairCodec INSTANCE = new PreferencePairCodec();

  private PreferencePairCodec() {}

  @Override
  public Schema schema() {
    return AvroSchemas.PREFERENCE_PAIR;
  }

  @Override
  public String keyField() {
    return "pair_id";
  }

  @Override
  public String key(PreferencePair value) {
    return value.pairId();
  }

  @Override
  public GenericRecord encode(PreferencePair pair) {
    GenericData.Record record = new GenericData.Record(AvroSchemas.PREFERENCE_PAIR);
    record.put("pair_id", pair.pairId());
    record.put("run_id", pair.runId());
    record.put("iteration", pair.iteration());
    record.put("task_id", pair.taskId());
    record.put("chosen_episode_id", pair.chosenEpisodeId());
    record.put("rejected_episode_id", pair.rejectedEpisodeId());
    record.put("chosen_reward", pair.chosenReward());
    record.put("rejected_reward", pair.rejectedReward());
    record.put("chosen_reference_logprob", pair.chosenReferenceLogprob());
    record.put("rejected_reference_logprob", pair.rejectedReferenceLogprob());
    return record;
  }

  @Override
  public PreferencePair decode(GenericRecord r) {
    return new PreferencePair(
        requiredString(r, "pair_id"),
        requiredString(r, "run_id"),
        required(r, "iteration", Integer.class),
        requiredString(r, "task_id"),
        requiredString(r, "chosen_episode_id"),
        requiredString(r, "rejected_episode_id"),
        required(r, "chosen_reward", Double.class),
        required(r, "rejected_reward", Double.class),
        optional(r, "chosen_reference_logprob", Double.class),
        optional(r, "rejected_reference_logprob", Double.class));
  }
}
