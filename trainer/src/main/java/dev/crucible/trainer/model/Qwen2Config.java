package dev.crucible.trainer.model;

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
 * The architecture of a Qwen2 decoder, as a Hugging Face {@code config.json} spells it. Keys this
 * model does not use (for example {@code sliding_window}, which Qwen2.5 checkpoints leave disabled) are
 * ignored.
 *
 * @param ropeScaling how rotary embeddings stretch past the trained context ({@code rope_scaling}), or
 *     null for none
 */
public record Qwen2Config(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int maxPositionEmbeddings,
    double rmsNormEps,
    double ropeTheta,
    boolean tieWordEmbeddings,
    int bosTokenId,
    int eosTokenId,
    RopeScaling ropeScaling) {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String FILE_NAME = "config.json";

  public Qwen2Config {
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException(
          "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
    }
    if (numAttentionHeads % numKeyValueHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads " + numAttentionHeads + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
    }
    if ((hiddenSize / numAttentionHeads) % 2 != 0) {
      throw new IllegalArgumentException("the head size " + hiddenSize / numAttentionHeads + " must be even for rotary embeddings");
    }
  }

  /** A config without rope scaling. */
  public Qwen2Config(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads, int numKeyValueHeads,
      int maxPositionEmbeddings, double rmsNormEps, double ropeTheta, boolean tieWordEmbeddings, int bosTokenId, int eosTokenId) {
    this(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, maxPositionEmbeddings, rmsNormEps,
        ropeTheta, tieWordEmbeddings, bosTokenId, eosTokenId, null);
  }

  /** The rotary embedding for a call whose longest sequence reaches {@code sequenceLength} positions. */
  public RopeScaling.Rotary rotary(int sequenceLength) {
    return ropeScaling == null ? RopeScaling.unscaled(headDim(), ropeTheta)
        : ropeScaling.rotary(headDim(), ropeTheta, maxPositionEmbeddings, sequenceLength);
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /** Parameters in the model, counting a tied head once. */
  public long parameterCount() {
    long h = hiddenSize;
    long kv = (long) numKeyValueHeads * headDim();
    long attention = h * h + h + 2 * (h * kv + kv) + h * h;
    long mlp = 3 * h * intermediateSize;
    long layer = attention + mlp + 2 * h;
    long embeddings = (long) vocabSize * h * (tieWordEmbeddings ? 1 : 2);
    return embeddings + numHiddenLayers * layer + h;
  }

  /** Reads {@code dir/config.json}, naming every missing or mistyped key. */
  public static Qwen2Config read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    JsonNode json;
    try {
      json = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null, "cannot read: " + e.getMessage()));
    }
    Fields fields = new Fields(file.toString(), json);
    int vocab = fields.integer("vocab_size", null);
    int hidden = fields.integer("hidden_size", null);
    int intermediate = fields.integer("intermediate_size", null);
    int layers = fields.integer("num_hidden_layers", null);
    int heads = fields.integer("num_attention_heads", null);
    int kvHeads = fields.integer("num_key_value_heads", heads);
    int positions = fields.integer("max_position_embeddings", null);
    double eps = fields.number("rms_norm_eps", 1e-6);
    double theta = fields.number("rope_theta", 10000.0);
    boolean tied = fields.bool("tie_word_embeddings", false);
    int bos = fields.integer("bos_token_id", 0);
    int eos = fields.integer("eos_token_id", 0);
    RopeScaling scaling = RopeScaling.read(json == null ? null : json.get("rope_scaling"), file.toString(), fields.problems);
    fields.throwIfAny();
    try {
      return new Qwen2Config(vocab, hidden, intermediate, layers, heads, kvHeads, positions, eps, theta, tied, bos, eos, scaling);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null, e.getMessage()));
    }
  }

  /** Writes {@code dir/config.json} in the layout {@code transformers} reads as {@code Qwen2ForCausalLM}, for float32 weights. */
  public void write(Path dir) {
    write(dir, "float32");
  }

  /** Writes {@code dir/config.json} for weights stored as {@code torchDtype} ({@code bfloat16}, ...). */
  public void write(Path dir, String torchDtype) {
    ObjectNode json = MAPPER.createObjectNode();
    json.putArray("architectures").add("Qwen2ForCausalLM");
    json.put("model_type", "qwen2");
    json.put("hidden_act", "silu");
    json.put("vocab_size", vocabSize);
    json.put("hidden_size", hiddenSize);
    json.put("intermediate_size", intermediateSize);
    json.put("num_hidden_layers", numHiddenLayers);
    json.put("num_attention_heads", numAttentionHeads);
    json.put("num_key_value_heads", numKeyValueHeads);
    json.put("max_position_embeddings", maxPositionEmbeddings);
    json.put("rms_norm_eps", rmsNormEps);
    json.put("rope_theta", ropeTheta);
    if (ropeScaling != null) {
      json.set("rope_scaling", ropeScaling.toJson(MAPPER));
    }
    json.put("tie_word_embeddings", tieWordEmbeddings);
    json.put("bos_token_id", bosTokenId);
    json.put("eos_token_id", eosTokenId);
    json.put("torch_dtype", torchDtype);
    try {
      Files.createDirectories(dir);
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE_NAME).toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME), e);
    }
  }

  /** Collects a problem per bad key instead of stopping at the first. */
  private static final class Fields {
    private final String source;
    private final JsonNode json;
    private final List<InputProblem> problems = new ArrayList<>();

    Fields(String source, JsonNode json) {
      this.source = source;
      this.json = json;
      if (json == null || !json.isObject()) {
        problems.add(new InputProblem(source, 0, null, "must be a JSON object"));
      }
    }

    int integer(String key, Integer fallback) {
      JsonNode node = node(key, fallback != null);
      if (node == null) {
        return fallback == null ? 1 : fallback;
      }
      if (node.isArray() && key.endsWith("token_id") && node.size() > 0) {
        node = node.get(0); // Some configs list several end-of-sequence ids.
      }
      if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
        problems.add(new InputProblem(source, 0, key, "must be a non-negative integer, not " + node));
        return 1;
      }
      return node.intValue();
    }

    double number(String key, double fallback) {
      JsonNode node = node(key, true);
      if (node == null) {
        return fallback;
      }
      if (!node.isNumber()) {
        problems.add(new InputProblem(source, 0, key, "must be a number, not " + node));
        return fallback;
      }
      return node.doubleValue();
    }

    boolean bool(String key, boolean fallback) {
      JsonNode node = node(key, true);
      if (node == null) {
        return fallback;
      }
      if (!node.isBoolean()) {
        problems.add(new InputProblem(source, 0, key, "must be true or false, not " + node));
        return fallback;
      }
      return node.booleanValue();
    }

    private JsonNode node(String key, boolean optional) {
      JsonNode node = json == null ? null : json.get(key);
      if (node == null || node.isNull()) {
        if (!optional && json != null && json.isObject()) {
          problems.add(new InputProblem(source, 0, key, "is missing"));
        }
        return null;
      }
      return node;
    }

    void throwIfAny() {
      if (!problems.isEmpty()) {
        throw new InvalidInputException(problems);
      }
    }
  }
}
