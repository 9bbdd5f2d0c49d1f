package dev.crucible.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.PreferencePair;
import dev.crucible.data.Trajectory;
import dev.crucible.data.sample.SyntheticTrajectories;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryStoreTest {
  private static final SyntheticTrajectories SAMPLES = new SyntheticTrajectories(8, 200);

  @TempDir java.nio.file.Path temp;
  private final Configuration conf = new Configuration();
  private TrajectoryStore store;

  @BeforeEach
  void openStore() {
    store = new TrajectoryStore(new Path(temp.resolve("runs/run-a").toUri()), conf);
  }

  @Test
  void readsBackEveryTrajectoryWithItsTurns() {
    List<Trajectory> first = episodes(0, 10);
    List<Trajectory> second = episodes(1, 5);
    write(0, first);
    write(1, second);

    List<Trajectory> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(store.readTrajectories()).containsExactlyInAnyOrderElementsOf(all);
    assertThat(store.readTrajectories(1)).containsExactlyInAnyOrderElementsOf(second);
    assertThat(store.readTrajectories().get(0).turns()).hasSize(8);
  }

  @Test
  void laysOutPartFilesByIteration() throws IOException {
    write(3, episodes(3, 2));
    try (Stream<java.nio.file.Path> files = Files.list(temp.resolve("runs/run-a/trajectories/iteration=3"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(name -> !name.startsWith(".")))
          .singleElement()
          .satisfies(name -> assertThat(name).matches("part-[0-9a-f-]{36}\\.parquet"));
    }
  }

  @Test
  void theIterationLivesInTheDirectoryNameNotInThePartFiles() {
    write(2, episodes(2, 3));
    Path part = store.trajectoryTable().files().get(0);
    assertThat(part.getParent().getName()).isEqualTo("iteration=2");
    Schema stored = ParquetTable.schemaOf(part, conf);
    assertThat(stored.getField("iteration")).isNull();
    assertThat(stored.getField("episode_id")).isNotNull();
    assertThat(store.readTrajectories()).extracting(Trajectory::iteration).containsOnly(2);
  }

  @Test
  void aRowWhoseIterationDisagreesWithItsDirectoryIsRefused() {
    Trajectory episode = episodes(0, 1).get(0);
    assertThatThrownBy(() -> store.trajectoryTable().writePart("iteration=1", List.of(episode)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("has iteration 0, so it does not belong in " + store.trajectoryTable().root() + "/iteration=1");
    assertThat(store.readTrajectories()).isEmpty();
  }

  @Test
  void aVersionOnePartThatHoldsTheIterationColumnStillReads() throws IOException {
    Trajectory episode = episodes(4, 1).get(0);
    writeRaw("iteration=4/part-v1.parquet", AvroSchemas.TRAJECTORY, TrajectoryCodec.INSTANCE.encode(episode));
    assertThat(store.readTrajectories(4)).containsExactly(episode);
  }

  @Test
  void aPartitionDirectoryWhoseValueIsNotANumberIsNamedAsAProblem() throws IOException {
    write(0, episodes(0, 1));
    java.nio.file.Path part = temp.resolve("runs/run-a/trajectories/iteration=0");
    Files.move(part, part.resolveSibling("iteration=zero"));
    assertThatThrownBy(() -> store.readTrajectories())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("iteration=zero/part-")
        .hasMessageContaining(":1: field 'iteration': the directory gives 'zero', which is not int");
  }

  @Test
  void refusesARowOfAnotherIteration() {
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
      Trajectory stray = episodes(1, 1).get(0);
      assertThatThrownBy(() -> writer.write(stray))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("episode_id 'run-a/1/repo__task-0/0' does not belong in ")
          .hasMessageEndingWith("/runs/run-a/trajectories/iteration=0");
    }
  }

  @Test
  void refusesARowOfAnotherRun() {
    Trajectory foreign = SAMPLES.episode("run-b", 0, "repo__task-0", 0, 1L);
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
      assertThatThrownBy(() -> writer.write(foreign)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aWriterThatNeverCommitsLeavesNothingReadersSee() throws IOException {
    PartWriter<Trajectory> crashed = store.openTrajectoryWriter(0);
    episodes(0, 4).forEach(crashed::write);
    // The JVM "dies" here: no commit, no close.
    assertThat(store.readTrajectories()).isEmpty();
    assertThat(store.trajectoryTable().files()).isEmpty();
    try (Stream<java.nio.file.Path> files = Files.list(temp.resolve("runs/run-a/trajectories/iteration=0"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .allMatch(name -> name.startsWith("."));
    }
    crashed.close();
    try (Stream<java.nio.file.Path> files = Files.list(temp.resolve("runs/run-a/trajectories/iteration=0"))) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".inprogress"))).isEmpty();
    }
  }

  @Test
  void anEpisodeWrittenTwiceByARetriedTaskIsReadOnce() {
    List<Trajectory> episodes = episodes(0, 3);
    write(0, episodes);
    write(0, episodes);
    assertThat(store.trajectoryTable().files()).hasSize(2);
    assertThat(store.readTrajectories()).containsExactlyInAnyOrderElementsOf(episodes);
  }

  @Test
  void aNamedPartWrittenAgainReplacesTheEarlierOne() {
    for (int attempt = 0; attempt < 3; attempt++) {
      try (PartWriter<Trajectory> writer = store.openNamedTrajectoryWriter(0, "00007")) {
        episodes(0, 3).forEach(writer::write);
        writer.commit();
      }
    }
    assertThat(store.trajectoryTable().files()).singleElement().satisfies(f -> assertThat(f.getName()).isEqualTo("part-00007.parquet"));
    assertThat(store.readTrajectories()).hasSize(3);
  }

  @Test
  void namesMissingAndMistypedColumnsOfAForeignFile() throws IOException {
    Schema foreign =
        SchemaBuilder.record("Other").fields()
            .requiredInt("episode_id")
            .requiredString("run_id")
            .endRecord();
    GenericRecord row = new GenericData.Record(foreign);
    row.put("episode_id", 1);
    row.put("run_id", "run-a");
    writeRaw("iteration=0/part-foreign.parquet", foreign, row);

    assertThatThrownBy(() -> store.readTrajectories())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("part-foreign.parquet: field 'episode_id': column has type int, expected string")
        .hasMessageContaining("part-foreign.parquet: field 'task_id': missing column of type string")
        .hasMessageContaining("part-foreign.parquet: field 'turns': missing column of type array<struct>");
  }

  @Test
  void namesTheRowAndFieldOfABadValue() throws IOException {
    GenericData.Record row = (GenericData.Record) TrajectoryCodec.INSTANCE.encode(episodes(0, 1).get(0));
    row.put("outcome", "exploded");
    writeRaw("iteration=0/part-bad.parquet", AvroSchemas.TRAJECTORY, row);

    assertThatThrownBy(() -> store.readTrajectories())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith(
            "part-bad.parquet:1: field 'outcome': unknown outcome 'exploded'; known: resolved, unresolved, agent_error, infra_error");
  }

  @Test
  void ignoresHiddenAndMarkerFiles() throws IOException {
    write(0, episodes(0, 2));
    Files.writeString(temp.resolve("runs/run-a/trajectories/_SUCCESS"), "");
    Files.createDirectories(temp.resolve("runs/run-a/trajectories/_temporary/0"));
    Files.writeString(temp.resolve("runs/run-a/trajectories/_temporary/0/part-x.parquet"), "junk");
    assertThat(store.readTrajectories()).hasSize(2);
  }

  @Test
  void storesPreferencePairs() {
    PreferencePair pair =
        new PreferencePair("run-a/0/t/0|run-a/0/t/1", "run-a", 0, "t", "run-a/0/t/0", "run-a/0/t/1",
            1.1, 0.2, -12.5, null);
    try (PartWriter<PreferencePair> writer = store.openPreferencePairWriter(0)) {
      writer.write(pair);
      writer.commit();
    }
    assertThat(store.readPreferencePairs()).containsExactly(pair);
  }

  private List<Trajectory> episodes(int iteration, int count) {
    List<Trajectory> episodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      episodes.add(SAMPLES.episode("run-a", iteration, "repo__task-" + i, 0, 42L));
    }
    return episodes;
  }

  private void write(int iteration, List<Trajectory> episodes) {
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(iteration)) {
      episodes.forEach(writer::write);
      writer.commit();
    }
  }

  private void writeRaw(String relative, Schema schema, GenericRecord row) throws IOException {
    Path file = new Path(temp.resolve("runs/run-a/trajectories/" + relative).toUri());
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(file, conf))
            .withSchema(schema)
            .build()) {
      writer.write(row);
    }
  }
}
