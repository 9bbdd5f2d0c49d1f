package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.optional;
import static dev.crucible.data.parquet.AvroFields.required;
import static dev.crucible.data.parquet.AvroFields.requiredString;

import dev.crucible.data.DumpedToken;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link DumpedToken} to and from {@code dumped_token.avsc}. */
public final class DumpedTokenCodec implements AvroCodec<DumpedToken> {
  public static final DumpedTokenCodec INSTANCE = new DumpedTokenCodec();

  private DumpedTokenCodec() {}

  @Override
  public Schema schema() {
    return AvroSchemas.DUMPED_TOKEN;
  }

  @Override
  public String keyField() {
    return "step/row/position";
  }

  @Override
  public String key(DumpedToken value) {
    return value.key();
  }

  @Override
  public GenericRecord encode(DumpedToken token) {
    GenericData.Record record = new GenericData.Record(AvroSchemas.DUMPED_TOKEN);
    record.put("step", token.step());
    record.put("row", token.row());
    record.put("episode_id", token.episodeId());
    record.put("turn", token.turn());
    record.put("position", token.position());
    record.put("token_id", token.tokenId());
    record.put("loss_mask", token.lossMask());
    record.put("rollout_logprob", token.rolloutLogprob());
    record.put("old_logprob", token.oldLogprob());
    record.put("reference_logprob", token.referenceLogprob());
    record.put("current_logprob", token.currentLogprob());
    record.put("advantage", token.advantage());
    record.put("value", token.value());
    record.put("returns", token.returns());
    record.put("step_loss", token.stepLoss());
    return record;
  }

  @Override
  public DumpedToken decode(GenericRecord r) {
    return new DumpedToken(required(r, "step", Integer.class), required(r, "row", Integer.class), requiredString(r, "episode_id"),
        optional(r, "turn", Integer.class), required(r, "position", Integer.class), required(r, "token_id", Integer.class),
        required(r, "loss_mask", Boolean.class), optional(r, "rollout_logprob", Float.class), required(r, "old_logprob", Float.class),
        optional(r, "reference_logprob", Float.class), required(r, "current_logprob", Float.class), required(r, "advantage", Float.class),
        optional(r, "value", Float.class), optional(r, "returns", Float.class), required(r, "step_loss", Double.class));
  }
}
