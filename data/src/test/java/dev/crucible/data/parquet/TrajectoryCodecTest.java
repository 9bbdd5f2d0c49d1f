package dev.crucible.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.FieldValueException;
import dev.crucible.data.sample.SyntheticTrajectories;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class TrajectoryCodecTest {
  private final SyntheticTrajectories samples = new SyntheticTrajectories(12, 300);

  @Test
  void decodesWhatItEncodes() {
    for (int sample = 0; sample < 20; sample++) {
      Trajectory trajectory = samples.episode("run-1", 2, "repo__task-1", sample, 7L);
      assertThat(TrajectoryCodec.INSTANCE.decode(TrajectoryCodec.INSTANCE.encode(trajectory)))
          .isEqualTo(trajectory);
    }
  }

  @Test
  void writesItsSchemaVersionAndRefusesANewerOne() {
    GenericRecord record = TrajectoryCodec.INSTANCE.encode(samples.episode("run-1", 0, "repo__task-1", 0, 7L));
    assertThat(record.get("schema_version")).isEqualTo(TrajectoryCodec.SCHEMA_VERSION);
    record.put("schema_version", TrajectoryCodec.SCHEMA_VERSION + 1);
    assertThatThrownBy(() -> TrajectoryCodec.INSTANCE.decode(record))
        .isInstanceOf(FieldValueException.class)
        .satisfies(e -> assertThat(((FieldValueException) e).field()).isEqualTo("schema_version"))
        .hasMessageContaining("read it with a newer crucible");
  }

  @Test
  void writesRewardComponentsAsTopLevelColumns() {
    Trajectory graded = firstWith(Outcome.RESOLVED);
    GenericRecord record = TrajectoryCodec.INSTANCE.encode(graded);
    assertThat(record.get("reward")).isEqualTo(graded.reward().total());
    assertThat(record.get("resolved")).isEqualTo(true);
    assertThat(record.get("tokens")).isEqualTo(graded.reward().tokens());
    assertThat(record.get("outcome")).isEqualTo("resolved");
  }

  @Test
  void leavesRewardColumnsNullForUngradedEpisodes() {
    Trajectory infra = firstWith(Outcome.INFRA_ERROR);
    GenericRecord record = TrajectoryCodec.INSTANCE.encode(infra);
    assertThat(record.get("reward")).isNull();
    assertThat(record.get("fail_to_pass_fraction")).isNull();
    assertThat(TrajectoryCodec.INSTANCE.decode(record).reward()).isNull();
  }

  @Test
  void rejectsUnknownOutcomeNamingTheField() {
    GenericData.Record record =
        (GenericData.Record) TrajectoryCodec.INSTANCE.encode(firstWith(Outcome.UNRESOLVED));
    record.put("outcome", "exploded");
    assertThatThrownBy(() -> TrajectoryCodec.INSTANCE.decode(record))
        .isInstanceOf(FieldValueException.class)
        .hasMessage("unknown outcome 'exploded'; known: resolved, unresolved, agent_error, infra_error")
        .extracting(e -> ((FieldValueException) e).field())
        .isEqualTo("outcome");
  }

  private Trajectory firstWith(Outcome outcome) {
    for (int sample = 0; ; sample++) {
      Trajectory trajectory = samples.episode("run-1", 0, "repo__task-1", sample, 1L);
      if (trajectory.outcome() == outcome) {
        return trajectory;
      }
    }
  }
}
