package dev.crucible.trainer.lora;

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
import java.util.List;

/**
 * PEFT's {@code adapter_config.json}, the part Crucible writes and reads: a LoRA adapter of {@code rank}
 * and {@code alpha} on the projections named in {@code targets}, trained on {@code baseModel} (a
 * checkpoint directory, or a name when the base was not one).
 */
public record AdapterConfig(int rank, double alpha, List<String> targets, String baseModel) {
  public static final String FILE = "adapter_config.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public AdapterConfig {
    targets = List.copyOf(targets);
  }

  /** Whether {@code dir} holds an adapter rather than a whole checkpoint. */
  public static boolean isAdapter(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /** @throws InvalidInputException naming the file and the field that is missing or malformed */
  public static AdapterConfig read(Path dir) {
    Path file = dir.resolve(FILE);
    JsonNode json;
    try {
      json = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null, "cannot read: " + e.getMessage()));
    }
    List<InputProblem> problems = new ArrayList<>();
    String source = file.toString();
    if (!json.path("peft_type").asText("").equals("LORA")) {
      problems.add(new InputProblem(source, 0, "peft_type", "must be \"LORA\", not " + json.path("peft_type")));
    }
    JsonNode rank = json.path("r");
    if (!rank.isIntegralNumber() || rank.intValue() < 1) {
      problems.add(new InputProblem(source, 0, "r", "must be a positive integer, not " + rank));
    }
    JsonNode alpha = json.path("lora_alpha");
    if (!alpha.isNumber() || alpha.doubleValue() <= 0) {
      problems.add(new InputProblem(source, 0, "lora_alpha", "must be a positive number, not " + alpha));
    }
    List<String> targets = new ArrayList<>();
    json.path("target_modules").forEach(target -> targets.add(target.asText()));
    if (targets.isEmpty()) {
      problems.add(new InputProblem(source, 0, "target_modules", "must list the projections adapted, not " + json.path("target_modules")));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new AdapterConfig(rank.intValue(), alpha.doubleValue(), targets, json.path("base_model_name_or_path").asText(""));
  }

  /**
   * The checkpoint directory the adapter was trained on.
   *
   * @throws InvalidInputException when {@code base_model_name_or_path} names no directory here
   */
  public Path baseDirectory(Path adapterDir) {
    Path base = baseModel.isEmpty() ? null : Path.of(baseModel);
    if (base == null || !Files.isDirectory(base)) {
      throw new InvalidInputException(new InputProblem(adapterDir.resolve(FILE).toString(), 0, "base_model_name_or_path",
          "'" + baseModel + "' is not a checkpoint directory here; serve the base with crucible serve and load the adapter"
              + " through /v1/load_lora_adapter"));
    }
    return base;
  }

  public void write(Path dir) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("peft_type", "LORA");
    json.put("task_type", "CAUSAL_LM");
    json.put("base_model_name_or_path", baseModel);
    json.put("r", rank);
    json.put("lora_alpha", alpha);
    json.put("lora_dropout", 0.0);
    json.put("bias", "none");
    targets.forEach(json.withArray("target_modules")::add);
    try {
      Files.createDirectories(dir);
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
