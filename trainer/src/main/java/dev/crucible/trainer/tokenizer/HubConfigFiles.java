package dev.crucible.trainer.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code tokenizer_config.json} and {@code generation_config.json} that transformers and vLLM read
 * beside {@code tokenizer.json}, so a checkpoint opens there as it is. Files that came with the loaded
 * checkpoint are kept, field for field, except two: a checkpoint always carries the chat template it was
 * trained with ({@link ChatTokenizer#CHAT_TEMPLATE}), and its generation stops at {@code <|im_end|>}.
 */
final class HubConfigFiles {
  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String GENERATION_CONFIG = "generation_config.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ObjectNode tokenizerConfig;
  private final ObjectNode generationConfig;

  private HubConfigFiles(ObjectNode tokenizerConfig, ObjectNode generationConfig) {
    this.tokenizerConfig = tokenizerConfig;
    this.generationConfig = generationConfig;
  }

  /** No files to keep: both are written from the tokenizer. */
  static HubConfigFiles none() {
    return new HubConfigFiles(null, null);
  }

  /** The files in {@code dir}, those that exist. */
  static HubConfigFiles read(Path dir) {
    return new HubConfigFiles(object(dir.resolve(TOKENIZER_CONFIG)), object(dir.resolve(GENERATION_CONFIG)));
  }

  private static ObjectNode object(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(file.toFile());
      if (!(node instanceof ObjectNode object)) {
        throw new InvalidInputException(new InputProblem(file.toString(), 1, null, "must hold a JSON object"));
      }
      return object;
    } catch (IOException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null, "cannot read: " + e.getMessage()));
    }
  }

  /** Writes both into {@code dir}, beside a {@code tokenizer.json} with these {@code added_tokens}. */
  void write(Path dir, JsonNode addedTokens, long imEnd, long endOfText) {
    ObjectNode tokenizer = tokenizerConfig == null ? defaultTokenizerConfig(addedTokens) : tokenizerConfig.deepCopy();
    tokenizer.put("chat_template", ChatTokenizer.CHAT_TEMPLATE);
    ObjectNode generation = generationConfig == null ? defaultGenerationConfig(imEnd, endOfText) : stopsAtTurnEnd(generationConfig, imEnd);
    try {
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(TOKENIZER_CONFIG).toFile(), tokenizer);
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(GENERATION_CONFIG).toFile(), generation);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tokenizer and generation configs in " + dir, e);
    }
  }

  /**
   * A kept generation config that also stops at {@code <|im_end|>}: a base model's stops only at
   * {@code <|endoftext|>}, and a checkpoint trained on the chat template ends its turns with the former.
   */
  private static ObjectNode stopsAtTurnEnd(ObjectNode kept, long imEnd) {
    ObjectNode config = kept.deepCopy();
    JsonNode eos = config.path("eos_token_id");
    ArrayNode ids = MAPPER.createArrayNode();
    if (eos.isArray()) {
      ids.addAll((ArrayNode) eos);
    } else if (eos.isIntegralNumber()) {
      ids.add(eos.asLong());
    }
    boolean present = false;
    for (JsonNode id : ids) {
      present |= id.asLong() == imEnd;
    }
    if (!present) {
      ids.insert(0, imEnd);
      config.set("eos_token_id", ids);
    }
    return config;
  }

  /** Qwen2.5's fields: the fast Qwen2 tokenizer, {@code <|im_end|>} ends a turn, {@code <|endoftext|>} pads. */
  private static ObjectNode defaultTokenizerConfig(JsonNode addedTokens) {
    ObjectNode config = MAPPER.createObjectNode();
    ObjectNode decoder = config.putObject("added_tokens_decoder");
    for (JsonNode token : addedTokens) {
      ObjectNode entry = decoder.putObject(token.path("id").asText());
      for (String field : new String[] {"content", "lstrip", "normalized", "rstrip", "single_word", "special"}) {
        entry.set(field, token.path(field));
      }
    }
    config.putNull("bos_token");
    config.put("clean_up_tokenization_spaces", false);
    config.put("eos_token", ChatTokenizer.IM_END);
    config.put("errors", "replace");
    config.put("pad_token", ChatTokenizer.END_OF_TEXT);
    config.put("split_special_tokens", false);
    config.put("tokenizer_class", "Qwen2Tokenizer");
    config.putNull("unk_token");
    return config;
  }

  /**
   * Generation stops at either end token, as Qwen2.5's does; sampling at temperature 1 with no nucleus
   * cut, the rollouts' default, so a served checkpoint samples from the distribution it was trained on.
   */
  private static ObjectNode defaultGenerationConfig(long imEnd, long endOfText) {
    ObjectNode config = MAPPER.createObjectNode();
    config.put("bos_token_id", endOfText);
    config.putArray("eos_token_id").add(imEnd).add(endOfText);
    config.put("pad_token_id", endOfText);
    config.put("do_sample", true);
    config.put("temperature", 1.0);
    config.put("top_p", 1.0);
    return config;
  }
}
