package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.list;
import static dev.crucible.data.parquet.AvroFields.optional;
import static dev.crucible.data.parquet.AvroFields.optionalRecord;
import static dev.crucible.data.parquet.AvroFields.optionalString;
import static dev.crucible.data.parquet.AvroFields.required;
import static dev.crucible.data.parquet.AvroFields.requiredString;

import dev.crucible.data.ContainerMetrics;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.io.FieldValueException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * {@link Trajectory} to and from {@code trajectory.avsc}. The reward breakdown is flattened into
 * top-level columns, all null for an episode that was not graded.
 */
public final class TrajectoryCodec implements AvroCodec<Trajectory> {
  public static final TrajectoryCodec INSTANCE = new TrajectoryCodec();
  /**
   * The version this build writes. 1: the first; 2: {@code iteration} kept only in the partition's
   * directory name; 3: assistant turns record their sampling context ({@link Turn.Sampling}). Tables of
   * versions 1 and 2 have no {@code schema_version} column and read as 1; 4: assistant turns record their
   * progress reward ({@link Turn#progress()}); 5: episodes record who chose their mode ({@code mode_chooser},
   * {@code config} when absent), turns their fixed shaping bonus ({@link Turn#milestone()}) and the reward its sum
   * ({@code milestone_reward}, 0 when absent).
   */
  public static final int SCHEMA_VERSION = 5;

  private static final Schema SCHEMA = AvroSchemas.TRAJECTORY;
  private static final Schema TURN = SCHEMA.getField("turns").schema().getElementType();
  private static final Schema CONTAINER = nonNull(SCHEMA.getField("container").schema());
  private static final Schema SAMPLING = nonNull(TURN.getField("sampling").schema());

  private TrajectoryCodec() {}

  @Override
  public Schema schema() {
    return SCHEMA;
  }

  @Override
  public String keyField() {
    return "episode_id";
  }

  @Override
  public String key(Trajectory value) {
    return value.episodeId();
  }

  @Override
  public GenericRecord encode(Trajectory t) {
    GenericData.Record record = new GenericData.Record(SCHEMA);
    record.put("episode_id", t.episodeId());
    record.put("schema_version", SCHEMA_VERSION);
    record.put("run_id", t.runId());
    record.put("iteration", t.iteration());
    record.put("task_id", t.taskId());
    record.put("sample_index", t.sampleIndex());
    record.put("policy_version", t.policyVersion());
    record.put("scaffold", t.scaffold());
    record.put("mode", t.mode());
    record.put("mode_chooser", t.modeChooser().tableName());
    record.put("outcome", t.outcome().tableName());
    record.put("outcome_reason", t.outcomeReason());
    RewardColumns.encode(t.reward(), record);
    record.put("final_patch", t.finalPatch());
    record.put("started_at_ms", t.startedAtMillis());
    record.put("duration_ms", t.durationMillis());
    record.put("container", t.container() == null ? null : encode(t.container()));
    List<GenericRecord> turns = new ArrayList<>(t.turns().size());
    for (Turn turn : t.turns()) {
      turns.add(encode(turn));
    }
    record.put("turns", turns);
    return record;
  }

  @Override
  public Trajectory decode(GenericRecord r) {
    Integer version = optional(r, "schema_version", Integer.class);
    if (version != null && version > SCHEMA_VERSION) {
      throw new FieldValueException("schema_version", "the row is of version " + version + "; this build reads up to "
          + SCHEMA_VERSION + ": read it with a newer crucible");
    }
    GenericRecord container = optionalRecord(r, "container");
    List<Turn> turns = new ArrayList<>();
    for (GenericRecord turn : list(r, "turns", GenericRecord.class)) {
      turns.add(decodeTurn(turn));
    }
    return new Trajectory(
        requiredString(r, "episode_id"),
        requiredString(r, "run_id"),
        required(r, "iteration", Integer.class),
        requiredString(r, "task_id"),
        required(r, "sample_index", Integer.class),
        requiredString(r, "policy_version"),
        requiredString(r, "scaffold"),
        requiredString(r, "mode"),
        decodeModeChooser(optionalString(r, "mode_chooser")),
        turns,
        requiredString(r, "final_patch"),
        decodeOutcome(requiredString(r, "outcome")),
        optionalString(r, "outcome_reason"),
        RewardColumns.decode(r),
        container == null ? null : decodeContainer(container),
        required(r, "started_at_ms", Long.class),
        required(r, "duration_ms", Long.class));
  }

  private static GenericRecord encode(ContainerMetrics metrics) {
    GenericData.Record record = new GenericData.Record(CONTAINER);
    record.put("start_ms", metrics.startMillis());
    record.put("cpu_ms", metrics.cpuMillis());
    record.put("peak_memory_bytes", metrics.peakMemoryBytes());
    return record;
  }

  private static GenericRecord encode(Turn turn) {
    GenericData.Record record = new GenericData.Record(TURN);
    record.put("index", turn.index());
    record.put("role", turn.role());
    record.put("phase", turn.phase());
    record.put("content", turn.content());
    record.put("tool_name", turn.toolName());
    record.put("tool_arguments", turn.toolArguments());
    record.put("observation", turn.observation());
    record.put("token_ids", turn.tokenIds());
    record.put("logprobs", turn.logprobs());
    record.put("started_at_ms", turn.startedAtMillis());
    record.put("generation_ms", turn.generationMillis());
    record.put("tool_ms", turn.toolMillis());
    record.put("sampling", turn.sampling() == null ? null : encode(turn.sampling()));
    record.put("progress", turn.progress());
    record.put("milestone", turn.milestone());
    return record;
  }

  private static GenericRecord encode(Turn.Sampling sampling) {
    GenericData.Record record = new GenericData.Record(SAMPLING);
    record.put("prompt_token_ids", sampling.promptTokenIds());
    record.put("extends_previous", sampling.extendsPrevious());
    record.put("truncated", sampling.truncated());
    record.put("temperature", sampling.temperature());
    record.put("top_p", sampling.topP());
    record.put("tools_json", sampling.toolsJson());
    return record;
  }

  private static Outcome decodeOutcome(String name) {
    try {
      return Outcome.fromTableName(name);
    } catch (IllegalArgumentException e) {
      throw new FieldValueException("outcome", e.getMessage());
    }
  }

  private static ContainerMetrics decodeContainer(GenericRecord r) {
    return new ContainerMetrics(
        required(r, "start_ms", Long.class),
        optional(r, "cpu_ms", Long.class),
        optional(r, "peak_memory_bytes", Long.class));
  }

  private static Turn decodeTurn(GenericRecord r) {
    GenericRecord sampling = optionalRecord(r, "sampling");
    return new Turn(
        required(r, "index", Integer.class),
        requiredString(r, "role"),
        optionalString(r, "phase"),
        requiredString(r, "content"),
        optionalString(r, "tool_name"),
        optionalString(r, "tool_arguments"),
        optionalString(r, "observation"),
        list(r, "token_ids", Integer.class),
        list(r, "logprobs", Float.class),
        required(r, "started_at_ms", Long.class),
        required(r, "generation_ms", Long.class),
        required(r, "tool_ms", Long.class),
        sampling == null ? null : decodeSampling(sampling),
        optional(r, "progress", Double.class),
        optional(r, "milestone", Double.class));
  }

  /** Who chose the mode; tables before version 5 only had modes from the config. */
  private static ModeChooser decodeModeChooser(String name) {
    if (name == null) {
      return ModeChooser.CONFIG;
    }
    try {
      return ModeChooser.fromTableName(name);
    } catch (IllegalArgumentException e) {
      throw new FieldValueException("mode_chooser", e.getMessage());
    }
  }

  private static Turn.Sampling decodeSampling(GenericRecord r) {
    return new Turn.Sampling(
        list(r, "prompt_token_ids", Integer.class),
        required(r, "extends_previous", Boolean.class),
        required(r, "truncated", Boolean.class),
        required(r, "temperature", Double.class),
        required(r, "top_p", Double.class),
        requiredString(r, "tools_json"));
  }

  static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    throw new IllegalArgumentException("union without a non-null branch: " + schema);
  }
}
