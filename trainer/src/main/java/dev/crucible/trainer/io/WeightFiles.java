package dev.crucible.trainer.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face checkpoint directory: {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} when the model is larger than one file may be.
 */
public final class WeightFiles {
  public static final String SINGLE = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";
  /** DJL and many tools cap one safetensors file at 2 GiB; shards stay under it. */
  public static final long DEFAULT_MAX_SHARD_BYTES = 2_000_000_000L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private WeightFiles() {}

  public static boolean present(Path dir) {
    return Files.isRegularFile(dir.resolve(SINGLE)) || Files.isRegularFile(dir.resolve(INDEX));
  }

  /** Every tensor of the checkpoint, by name. */
  public static Map<String, NDArray> load(Path dir, NDManager manager) {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Path file : files(dir)) {
      tensors.putAll(SafeTensors.read(file, manager));
    }
    return tensors;
  }

  /**
   * How the checkpoint stores its weights: the one type all its tensors share, else {@link
   * StorageType#F32}, which loses nothing of any of them.
   */
  public static StorageType storage(Path dir) {
    Set<StorageType> types = new LinkedHashSet<>();
    for (Path file : files(dir)) {
      types.addAll(SafeTensors.storageTypes(file).values());
    }
    return types.size() == 1 ? types.iterator().next() : StorageType.F32;
  }

  /** The checkpoint's safetensors files: the single one, or the shards its index lists. */
  private static List<Path> files(Path dir) {
    Path index = dir.resolve(INDEX);
    if (!Files.isRegularFile(index)) {
      Path single = dir.resolve(SINGLE);
      if (!Files.isRegularFile(single)) {
        throw new InvalidInputException(
            new InputProblem(dir.toString(), 0, null, "holds neither " + SINGLE + " nor " + INDEX));
      }
      return List.of(single);
    }
    Set<String> shards = new LinkedHashSet<>();
    try {
      JsonNode weightMap = MAPPER.readTree(index.toFile()).path("weight_map");
      for (Iterator<JsonNode> it = weightMap.elements(); it.hasNext(); ) {
        shards.add(it.next().asText());
      }
    } catch (IOException e) {
      throw new InvalidInputException(new InputProblem(index.toString(), 0, null, "cannot read: " + e.getMessage()));
    }
    if (shards.isEmpty()) {
      throw new InvalidInputException(new InputProblem(index.toString(), 0, "weight_map", "lists no shard"));
    }
    return shards.stream().map(dir::resolve).toList();
  }

  /**
   * Writes {@code tensors} into {@code dir} in {@code storage}: one file when they fit {@code maxShardBytes},
   * otherwise shards named as {@code transformers} names them plus the index.
   */
  public static void save(Path dir, Map<String, NDArray> tensors, long maxShardBytes, StorageType storage) {
    List<Map<String, NDArray>> shards = new ArrayList<>();
    Map<String, NDArray> current = new LinkedHashMap<>();
    long currentBytes = 0;
    long totalBytes = 0;
    for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
      long bytes = entry.getValue().size() * storage.width();
      if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
        shards.add(current);
        current = new LinkedHashMap<>();
        currentBytes = 0;
      }
      current.put(entry.getKey(), entry.getValue());
      currentBytes += bytes;
      totalBytes += bytes;
    }
    shards.add(current);
    try {
      Files.createDirectories(dir);
      if (shards.size() == 1) {
        SafeTensors.write(dir.resolve(SINGLE), current, storage);
        return;
      }
      ObjectNode index = MAPPER.createObjectNode();
      index.putObject("metadata").put("total_size", totalBytes);
      ObjectNode weightMap = index.putObject("weight_map");
      for (int i = 0; i < shards.size(); i++) {
        String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
        SafeTensors.write(dir.resolve(name), shards.get(i), storage);
        shards.get(i).keySet().forEach(tensor -> weightMap.put(tensor, name));
      }
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(INDEX).toFile(), index);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the weights into " + dir, e);
    }
  }
}
