package dev.crucible.data.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** The Avro schemas of record, parsed from the {@code .avsc} files shipped in this jar. */
public final class AvroSchemas {
  public static final Schema TASK_INSTANCE = load("task_instance.avsc");
  public static final Schema TRAJECTORY = load("trajectory.avsc");
  public static final Schema PREFERENCE_PAIR = load("preference_pair.avsc");
  public static final Schema TRAINING_STEP = load("training_step.avsc");
  public static final Schema EVALUATION = load("evaluation.avsc");
  public static final Schema RL_ITERATION = load("rl_iteration.avsc");
  public static final Schema DUMPED_TOKEN = load("dumped_token.avsc");
  public static final Schema MODE_DECISION = load("mode_decision.avsc");

  private AvroSchemas() {}

  private static Schema load(String file) {
    String resource = "/dev/crucible/data/avro/" + file;
    try (InputStream in = AvroSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + resource + " is missing from the jar");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + resource, e);
    }
  }
}
