package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.optional;
import static dev.crucible.data.parquet.AvroFields.required;
import static dev.crucible.data.parquet.AvroFields.requiredString;

import dev.crucible.data.TrainingStep;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link TrainingStep} to and from {@code training_step.avsc}. */
public final class TrainingStepCodec implements AvroCodec<TrainingStep> {
  public static final TrainingStepCodec INSTANCE = new TrainingStepCodec();

  private TrainingStepCodec() {}

  @Override
  public Schema schema() {
    return AvroSchemas.TRAINING_STEP;
  }

  @Override
  public String keyField() {
    return "step";
  }

  @Override
  public String key(TrainingStep value) {
    return String.valueOf(value.step());
  }

  @Override
  public GenericRecord encode(TrainingStep step) {
    GenericData.Record record = new GenericData.Record(AvroSchemas.TRAINING_STEP);
    record.put("run_id", step.runId());
    record.put("stage", step.stage());
    record.put("step", step.step());
    record.put("loss", step.loss());
    record.put("learning_rate", step.learningRate());
    record.put("grad_norm", step.gradNorm());
    record.put("tokens", step.tokens());
    record.put("tokens_per_second", step.tokensPerSecond());
    record.put("elapsed_ms", step.elapsedMillis());
    record.put("reward_accuracy", step.rewardAccuracy());
    record.put("reward_margin", step.rewardMargin());
    record.put("chosen_logprob", step.chosenLogprob());
    record.put("rejected_logprob", step.rejectedLogprob());
    TrainingStep.PolicyFigures policy = step.policy();
    record.put("kl_k1", policy == null ? null : policy.klK1());
    record.put("kl_k3", policy == null ? null : policy.klK3());
    record.put("clip_fraction", policy == null ? null : policy.clipFraction());
    record.put("entropy", policy == null ? null : policy.entropy());
    record.put("rollout_kl", policy == null ? null : policy.rolloutKl());
    record.put("value_loss", policy == null ? null : policy.valueLoss());
    return record;
  }

  @Override
  public TrainingStep decode(GenericRecord r) {
    return new TrainingStep(
        requiredString(r, "run_id"),
        requiredString(r, "stage"),
        required(r, "step", Integer.class),
        required(r, "loss", Double.class),
        required(r, "learning_rate", Double.class),
        required(r, "grad_norm", Double.class),
        required(r, "tokens", Long.class),
        required(r, "tokens_per_second", Double.class),
        required(r, "elapsed_ms", Long.class),
        optional(r, "reward_accuracy", Double.class),
        optional(r, "reward_margin", Double.class),
        optional(r, "chosen_logprob", Double.class),
        optional(r, "rejected_logprob", Double.class),
        policyFigures(r));
  }

  /** The RL columns, or {@code null} for a step of another stage (all of them null). */
  private static TrainingStep.PolicyFigures policyFigures(GenericRecord r) {
    Double clipFraction = optional(r, "clip_fraction", Double.class);
    if (clipFraction == null) {
      return null;
    }
    return new TrainingStep.PolicyFigures(optional(r, "kl_k1", Double.class), optional(r, "kl_k3", Double.class), clipFraction,
        required(r, "entropy", Double.class), required(r, "rollout_kl", Double.class), optional(r, "value_loss", Double.class));
  }
}
