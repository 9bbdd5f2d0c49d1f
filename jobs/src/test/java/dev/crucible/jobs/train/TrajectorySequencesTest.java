package dev.crucible.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training sequences read with Spark from a table that mixes a model's episode (schema version 3, token ids
 * recorded), a scripted one (text only) and a version-1 part with no sampling column at all.
 */
class TrajectorySequencesTest {
  @TempDir Path temp;

  @Test
  void aModelsEpisodeTrainsOnItsStoredIdsAndTextOnlyEpisodesAreRendered() throws Exception {
    Path run = temp.resolve("run");
    TrajectoryStore store = new TrajectoryStore(HadoopFiles.local(run), new Configuration());
    try (PartWriter<Trajectory> writer = store.openTrajectoryWriter(0)) {
      writer.write(episode("run/0/model/0", List.of(
          assistant(2, List.of(101, 102, 103), false, List.of(7, 8)),
          new Turn(3, "tool", null, "", "view_file", null, "ok", List.of(), List.of(), 0, 0, 0),
          assistant(4, List.of(104), true, List.of(9)))));
      writer.write(episode("run/0/scripted/0", List.of(
          new Turn(2, "assistant", null, "Done.", "submit", "{}", null, List.of(), List.of(), 0, 0, 0))));
      writer.commit();
    }
    // A part written before schema version 3: its turns have no sampling column.
    Files.copy(Path.of("../data/src/test/resources/golden/trajectories-v1.parquet"),
        run.resolve("trajectories/iteration=0/part-v1.parquet"));

    SparkSession spark = SparkSessions.create("trajectory-sequences-test", "local[2]", Map.of());
    List<EncodedEpisode> episodes;
    try (ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      episodes = TrajectorySequences.read(spark, List.of(HadoopFiles.local(run)), tokenizer.json(), new ObjectMapper().createArrayNode(), 0);
    } finally {
      spark.stop();
    }
    EncodedEpisode model = episodes.stream().filter(e -> e.episodeId().equals("run/0/model/0")).findFirst().orElseThrow();
    assertThat(model.ids()).hasSize(1);
    assertThat(model.ids().get(0)).containsExactly(101, 102, 103, 7, 8, 104, 9);
    assertThat(model.masks().get(0)).containsExactly(false, false, false, true, true, false, true);
    EncodedEpisode scripted = episodes.stream().filter(e -> e.episodeId().equals("run/0/scripted/0")).findFirst().orElseThrow();
    assertThat(scripted.ids().get(0).length).as("rendered by the template").isGreaterThan(10);
    assertThat(episodes).hasSize(2 + 8);
  }

  private static Turn assistant(int index, List<Integer> prompt, boolean extendsPrevious, List<Integer> sampled) {
    return new Turn(index, "assistant", null, "", null, null, null, sampled, sampled.stream().map(id -> -0.5f).toList(), 0, 0, 0,
        new Turn.Sampling(prompt, extendsPrevious, false, 1.0, 1.0, "[]"));
  }

  private static Trajectory episode(String id, List<Turn> turns) {
    List<Turn> all = new java.util.ArrayList<>();
    all.add(new Turn(0, "system", null, "You fix bugs.", null, null, null, List.of(), List.of(), 0, 0, 0));
    all.add(new Turn(1, "user", null, "Fix add.", null, null, null, List.of(), List.of(), 0, 0, 0));
    all.addAll(turns);
    String[] parts = id.split("/");
    return new Trajectory(id, parts[0], 0, parts[2], 0, "djl:x", "single", "standard", ModeChooser.CONFIG, all, "", Outcome.UNRESOLVED, "no change",
        null, null, 0, 1);
  }
}
