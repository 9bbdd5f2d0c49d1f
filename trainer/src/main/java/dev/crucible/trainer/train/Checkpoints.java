package dev.crucible.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.io.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@code checkpoints/step-NNNNNN} directories of a training run (or {@code policies/iteration-NNNNNN}
 * of an RL run). Each is written under a temporary name and renamed when complete, so a run killed
 * mid-save leaves the previous checkpoint as the latest.
 */
public final class Checkpoints {
  public static final String STATE_FILE = "trainer_state.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path root;
  private final String prefix;

  /** Checkpoints named {@code step-NNNNNN}. */
  public Checkpoints(Path root) {
    this(root, "step");
  }

  /** Checkpoints named {@code PREFIX-NNNNNN}. */
  public Checkpoints(Path root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  /** Where checkpoint {@code number} is, once written. */
  public Path dir(int number) {
    return root.resolve(String.format("%s-%06d", prefix, number));
  }

  /** A complete checkpoint and what {@link #STATE_FILE} says about it. */
  public record Saved(Path dir, int step, JsonNode state) {}

  /**
   * Writes checkpoint {@code step}: {@code contents} fills the directory, then the state file marks it
   * complete and the directory takes its final name (replacing an older copy of the same step).
   */
  public Path save(int step, ObjectNode state, Consumer<Path> contents) {
    Path dir = dir(step);
    Path temporary = root.resolve(dir.getFileName() + ".partial");
    try {
      LocalFiles.deleteTree(temporary);
      Files.createDirectories(temporary);
      contents.accept(temporary);
      state.put("step", step);
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(temporary.resolve(STATE_FILE).toFile(), state);
      LocalFiles.deleteTree(dir);
      Files.move(temporary, dir, StandardCopyOption.ATOMIC_MOVE);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + dir, e);
    }
  }

  /** The complete checkpoint with the highest step, if any. */
  public Optional<Saved> latest() {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(root)) {
      Optional<Path> newest = children
          .filter(p -> p.getFileName().toString().matches(prefix + "-\\d+") && Files.isRegularFile(p.resolve(STATE_FILE)))
          .max(Comparator.comparing(p -> p.getFileName().toString()));
      if (newest.isEmpty()) {
        return Optional.empty();
      }
      JsonNode state = MAPPER.readTree(newest.get().resolve(STATE_FILE).toFile());
      return Optional.of(new Saved(newest.get(), state.path("step").asInt(), state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + root, e);
    }
  }
}
