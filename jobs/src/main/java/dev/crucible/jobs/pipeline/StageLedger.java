package dev.crucible.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.RunLayout;
import dev.crucible.data.io.HadoopFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a pipeline run has finished, kept in the run directory so a rerun of the same command resumes:
 * {@code RUN/pipeline/config.txt} (the settings the run started with, as parsed; a rerun with other
 * settings is refused, one that only changes comments is not), {@code RUN/pipeline/config.yaml} (the file
 * they came from) and one {@code RUN/pipeline/stages/<stage>.json} per finished stage with the seconds it took. A stage
 * is marked only after everything it writes is committed, so a stage cut short runs again (and its own
 * resumption, where it has one, carries on where it stopped).
 */
public final class StageLedger {
  /** The settings a run started with, relative to the run directory. */
  public static final String SETTINGS = "pipeline/config.txt";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path directory;
  private final Configuration conf;

  public StageLedger(Path runDirectory, Configuration conf) {
    this.directory = new RunLayout(runDirectory).pipeline();
    this.conf = conf;
  }

  /**
   * Records {@code settings} (and the file they came from, when there is one) as the run's on its first
   * start; on a later start, refuses other settings.
   *
   * @throws IllegalArgumentException when the run started with different settings
   */
  public void requireConfig(String settings, java.nio.file.Path source) {
    Path stored = new Path(directory.getParent(), SETTINGS);
    byte[] config = settings.getBytes(StandardCharsets.UTF_8);
    try {
      FileSystem fs = HadoopFiles.fileSystem(stored, conf);
      if (!fs.exists(stored)) {
        if (source != null) {
          byte[] yaml = java.nio.file.Files.readAllBytes(source);
          HadoopFiles.writeAtomically(new Path(directory, "config.yaml"), conf, out -> out.write(yaml));
        }
        HadoopFiles.writeAtomically(stored, conf, out -> out.write(config));
        return;
      }
      byte[] earlier;
      try (InputStream in = fs.open(stored)) {
        earlier = in.readAllBytes();
      }
      if (!Arrays.equals(earlier, config)) {
        throw new IllegalArgumentException(directory.getParent() + " was started with other settings (" + stored + ") than "
            + (source == null ? "these" : source + "'s") + "; to resume it, run with its config (" + new Path(directory, "config.yaml")
            + "); to start again, set overwrite: true or choose another run_id");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + directory, e);
    }
  }

  /** The seconds {@code stage} took, when a run of it finished. */
  public Optional<Double> finished(PipelineStage stage) {
    Path file = file(stage);
    try {
      FileSystem fs = HadoopFiles.fileSystem(file, conf);
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        JsonNode entry = MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        return Optional.of(entry.path("seconds").asDouble());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Marks {@code stage} finished, having taken {@code seconds}. */
  public void finish(PipelineStage stage, double seconds) {
    ObjectNode entry = MAPPER.createObjectNode();
    entry.put("stage", stage.configName());
    entry.put("seconds", seconds);
    entry.put("finished_at", Instant.now().toString());
    Path file = file(stage);
    try {
      HadoopFiles.writeAtomically(file, conf, out -> out.write(MAPPER.writeValueAsBytes(entry)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Every finished stage's seconds, in stage order. */
  public Map<PipelineStage, Double> times() {
    Map<PipelineStage, Double> times = new EnumMap<>(PipelineStage.class);
    for (PipelineStage stage : PipelineStage.values()) {
      finished(stage).ifPresent(seconds -> times.put(stage, seconds));
    }
    return times;
  }

  private Path file(PipelineStage stage) {
    return new Path(directory, "stages/" + stage.configName() + ".json");
  }
}
