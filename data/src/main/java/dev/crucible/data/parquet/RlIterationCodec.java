package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.optional;
import static dev.crucible.data.parquet.AvroFields.required;
import static dev.crucible.data.parquet.AvroFields.requiredString;

import dev.crucible.data.RlIteration;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * {@link RlIteration} to and from {@code rl_iteration.avsc}: one flat row, the held-out episodes'
 * columns prefixed {@code held_out_}. The resolve rates are stored for queries and recomputed on read.
 */
public final class RlIterationCodec implements AvroCodec<RlIteration> {
  public static final RlIterationCodec INSTANCE = new RlIterationCodec();
  private static final String HELD_OUT = "held_out_";

  private RlIterationCodec() {}

  @Override
  public Schema schema() {
    return AvroSchemas.RL_ITERATION;
  }

  @Override
  public String keyField() {
    return "iteration";
  }

  @Override
  public String key(RlIteration value) {
    return String.valueOf(value.iteration());
  }

  @Override
  public GenericRecord encode(RlIteration row) {
    GenericData.Record record = new GenericData.Record(AvroSchemas.RL_ITERATION);
    record.put("run_id", row.runId());
    record.put("stage", row.stage());
    record.put("iteration", row.iteration());
    record.put("rollout_policy", row.rolloutPolicy());
    putEpisodes(record, "", row.rollout());
    putEpisodes(record, HELD_OUT, row.heldOut());
    record.put("groups", row.groups().total());
    record.put("learning_groups", row.groups().learning());
    record.put("unanimous_groups", row.groups().unanimous());
    record.put("masked_groups", row.groups().masked());
    record.put("renormalized_groups", row.groups().renormalized());
    record.put("sequences", row.batch().sequences());
    record.put("tokens", row.batch().tokens());
    record.put("sampled_tokens", row.batch().sampledTokens());
    record.put("advantage_mean", row.batch().advantageMean());
    record.put("advantage_std", row.batch().advantageStd());
    record.put("steps", row.batch().steps());
    record.put("rollout_seconds", row.timing().rollout());
    record.put("evaluation_seconds", row.timing().evaluation());
    record.put("train_seconds", row.timing().train());
    record.put("checkpoint_seconds", row.timing().checkpoint());
    return record;
  }

  private static void putEpisodes(GenericData.Record record, String prefix, RlIteration.Episodes episodes) {
    boolean none = episodes == null;
    record.put(prefix + "episodes", none ? null : episodes.count());
    record.put(prefix + "resolved", none ? null : episodes.resolved());
    record.put(prefix + "agent_errors", none ? null : episodes.agentErrors());
    record.put(prefix + "infra_errors", none ? null : episodes.infraErrors());
    record.put(prefix + "resolve_rate", none || Double.isNaN(episodes.resolveRate()) ? null : episodes.resolveRate());
    record.put(prefix + "reward_mean", none ? null : episodes.rewardMean());
    record.put(prefix + "reward_std", none ? null : episodes.rewardStd());
    record.put(prefix + "assistant_turns_mean", none ? null : episodes.assistantTurnsMean());
    record.put(prefix + "tool_calls", none ? null : episodes.toolCalls());
    record.put(prefix + "tool_call_successes", none ? null : episodes.toolCallSuccesses());
  }

  @Override
  public RlIteration decode(GenericRecord r) {
    int iteration = required(r, "iteration", Integer.class);
    Integer rolloutPolicy = optional(r, "rollout_policy", Integer.class);
    return new RlIteration(
        requiredString(r, "run_id"),
        requiredString(r, "stage"),
        iteration,
        rolloutPolicy == null ? iteration : rolloutPolicy, // Tables from before asynchronous RL: on-policy.
        episodes(r, ""),
        new RlIteration.GroupCounts(required(r, "groups", Integer.class), required(r, "learning_groups", Integer.class),
            required(r, "unanimous_groups", Integer.class), required(r, "masked_groups", Integer.class),
            required(r, "renormalized_groups", Integer.class)),
        new RlIteration.Batch(required(r, "sequences", Integer.class), required(r, "tokens", Long.class),
            required(r, "sampled_tokens", Long.class), optional(r, "advantage_mean", Double.class), optional(r, "advantage_std", Double.class),
            required(r, "steps", Integer.class)),
        new RlIteration.Timing(required(r, "rollout_seconds", Double.class), required(r, "evaluation_seconds", Double.class),
            required(r, "train_seconds", Double.class), required(r, "checkpoint_seconds", Double.class)),
        optional(r, HELD_OUT + "episodes", Integer.class) == null ? null : episodes(r, HELD_OUT));
  }

  private static RlIteration.Episodes episodes(GenericRecord r, String prefix) {
    return new RlIteration.Episodes(required(r, prefix + "episodes", Integer.class), required(r, prefix + "resolved", Integer.class),
        required(r, prefix + "agent_errors", Integer.class), required(r, prefix + "infra_errors", Integer.class),
        optional(r, prefix + "reward_mean", Double.class), optional(r, prefix + "reward_std", Double.class),
        required(r, prefix + "assistant_turns_mean", Double.class), required(r, prefix + "tool_calls", Long.class),
        required(r, prefix + "tool_call_successes", Long.class));
  }
}
