package dev.crucible.trainer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A {@code config.json}'s {@code rope_scaling}: how rotary position embeddings stretch past the context
 * a model was trained on. {@link #rotary} computes the inverse frequencies and the factor on cos and sin
 * as transformers' {@code modeling_rope_utils} defines each type.
 *
 * @param type how the frequencies are scaled
 * @param factor the context's stretch; for YaRN without one, {@code max_position_embeddings} over
 *     {@code original_max_position_embeddings}
 * @param originalMaxPositionEmbeddings YaRN's pretrained context, or null for {@code max_position_embeddings}
 * @param attentionFactor YaRN's factor on cos and sin when given, else null (computed from the factor)
 * @param betaFast YaRN's rotations where interpolation stops (default 32)
 * @param betaSlow YaRN's rotations where it starts (default 1)
 * @param mscale YaRN's {@code mscale}, or null
 * @param mscaleAllDim YaRN's {@code mscale_all_dim}, or null
 * @param truncate whether YaRN's correction range is rounded outward to whole dimensions (default true)
 */
public record RopeScaling(
    Type type, Double factor, Integer originalMaxPositionEmbeddings, Double attentionFactor, double betaFast, double betaSlow,
    Double mscale, Double mscaleAllDim, boolean truncate) {

  /** The scaling types, by their names in {@code config.json}. */
  public enum Type {
    /** Position interpolation: every frequency divided by the factor. */
    LINEAR,
    /** NTK-aware scaling of the base, recomputed for sequences longer than {@code max_position_embeddings}. */
    DYNAMIC,
    /** YaRN: interpolation of the low frequencies only, and cos and sin scaled up (arXiv 2309.00071). */
    YARN;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static String names() {
      return Arrays.stream(values()).map(Type::configName).collect(Collectors.joining(", "));
    }
  }

  /**
   * The inverse frequency of each pair of a head's dimensions, and the factor cos and sin are multiplied
   * by (1 but for YaRN).
   */
  public record Rotary(double[] inverseFrequencies, double attentionFactor) {}

  /**
   * The unscaled rotary embedding (RoPE, arXiv 2104.09864): {@code 1 / theta^(2i / d)} for pair {@code i}
   * of a head of {@code d} dimensions.
   */
  public static Rotary unscaled(int headDim, double theta) {
    return new Rotary(inverseFrequencies(headDim, theta), 1.0);
  }

  /**
   * The rotary embedding of a model whose config gives {@code headDim}, {@code theta} and
   * {@code maxPositionEmbeddings}, for a call whose longest sequence reaches {@code sequenceLength}
   * positions (only {@code dynamic} depends on it).
   */
  public Rotary rotary(int headDim, double theta, int maxPositionEmbeddings, int sequenceLength) {
    return switch (type) {
      case LINEAR -> {
        // Linear scaling (kaiokendev's position interpolation): positions divided by the factor, the same
        // as every inverse frequency divided by it.
        double[] frequencies = inverseFrequencies(headDim, theta);
        for (int i = 0; i < frequencies.length; i++) {
          frequencies[i] /= factor;
        }
        yield new Rotary(frequencies, 1.0);
      }
      case DYNAMIC -> {
        // Dynamic NTK: the base grows to theta * ((factor * L / max) - (factor - 1))^(d / (d - 2)) for a
        // sequence of L > max positions; unchanged up to max.
        int length = Math.max(sequenceLength, maxPositionEmbeddings);
        double base = theta * Math.pow(factor * length / maxPositionEmbeddings - (factor - 1), headDim / (headDim - 2.0));
        yield new Rotary(inverseFrequencies(headDim, base), 1.0);
      }
      case YARN -> yarn(headDim, theta, maxPositionEmbeddings);
    };
  }

  /**
   * YaRN (Peng et al., arXiv 2309.00071, "NTK-by-parts" with the attention temperature): pair {@code i}
   * keeps its frequency where it turns more than {@code beta_fast} times over the original context,
   * is divided by the factor where it turns fewer than {@code beta_slow} times, and blends linearly
   * between; cos and sin are scaled by {@code 0.1 ln(factor) + 1} (or mscale's ratio, or the given factor).
   */
  private Rotary yarn(int headDim, double theta, int maxPositionEmbeddings) {
    int original = originalMaxPositionEmbeddings == null ? maxPositionEmbeddings : originalMaxPositionEmbeddings;
    double scale = factor != null ? factor : (double) maxPositionEmbeddings / original;
    double attention;
    if (attentionFactor != null) {
      attention = attentionFactor;
    } else if (mscale != null && mscale != 0 && mscaleAllDim != null && mscaleAllDim != 0) {
      attention = yarnMscale(scale, mscale) / yarnMscale(scale, mscaleAllDim);
    } else {
      attention = yarnMscale(scale, 1.0);
    }
    double low = correctionDimension(betaFast, headDim, theta, original);
    double high = correctionDimension(betaSlow, headDim, theta, original);
    if (truncate) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    low = Math.max(low, 0);
    high = Math.min(high, headDim - 1);
    if (low == high) {
      high += 0.001; // A ramp of no width would divide by zero.
    }
    double[] extrapolated = inverseFrequencies(headDim, theta);
    double[] frequencies = new double[extrapolated.length];
    for (int i = 0; i < frequencies.length; i++) {
      double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
      double keep = 1 - ramp; // Share of the original frequency.
      frequencies[i] = extrapolated[i] / scale * (1 - keep) + extrapolated[i] * keep;
    }
    return new Rotary(frequencies, attention);
  }

  /** YaRN's attention temperature for a stretch of {@code scale}: {@code 0.1 m ln(scale) + 1}, 1 without a stretch. */
  static double yarnMscale(double scale, double m) {
    return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
  }

  /** The dimension whose pair turns {@code rotations} times over {@code positions}: {@code d ln(L / (2 pi r)) / (2 ln theta)}. */
  static double correctionDimension(double rotations, int headDim, double theta, int positions) {
    return headDim * Math.log(positions / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
  }

  private static double[] inverseFrequencies(int headDim, double theta) {
    double[] frequencies = new double[headDim / 2];
    for (int i = 0; i < frequencies.length; i++) {
      frequencies[i] = 1.0 / Math.pow(theta, 2.0 * i / headDim);
    }
    return frequencies;
  }

  /**
   * Reads {@code rope_scaling} (its type under {@code type} or {@code rope_type}); null for none, for
   * JSON null, or for type {@code default}. Every problem is added to {@code problems}, naming its key.
   */
  static RopeScaling read(JsonNode node, String source, List<InputProblem> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(new InputProblem(source, 0, "rope_scaling", "must be an object or null, not " + node));
      return null;
    }
    JsonNode typeNode = node.hasNonNull("rope_type") ? node.get("rope_type") : node.get("type");
    String name = typeNode == null ? "" : typeNode.asText();
    if (name.equals("default")) {
      return null;
    }
    Type type;
    try {
      type = Type.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(new InputProblem(source, 0, "rope_scaling.type",
          "'" + name + "' is not a rope scaling this model computes; known: " + Type.names()));
      return null;
    }
    int before = problems.size();
    Double factor = number(node, "factor", source, problems);
    Integer original = null;
    if (node.hasNonNull("original_max_position_embeddings")) {
      JsonNode value = node.get("original_max_position_embeddings");
      if (value.canConvertToInt() && value.isIntegralNumber() && value.intValue() > 0) {
        original = value.intValue();
      } else {
        problems.add(new InputProblem(source, 0, "rope_scaling.original_max_position_embeddings", "must be a positive integer, not " + value));
      }
    }
    if (!node.hasNonNull("factor") && (type != Type.YARN || original == null)) {
      problems.add(new InputProblem(source, 0, "rope_scaling.factor", "is missing"));
    } else if (factor != null && factor < 1) {
      problems.add(new InputProblem(source, 0, "rope_scaling.factor", "must be at least 1, not " + factor));
    }
    Double betaFast = number(node, "beta_fast", source, problems);
    Double betaSlow = number(node, "beta_slow", source, problems);
    Double attention = number(node, "attention_factor", source, problems);
    Double mscale = number(node, "mscale", source, problems);
    Double mscaleAllDim = number(node, "mscale_all_dim", source, problems);
    JsonNode truncate = node.get("truncate");
    if (truncate != null && !truncate.isNull() && !truncate.isBoolean()) {
      problems.add(new InputProblem(source, 0, "rope_scaling.truncate", "must be true or false, not " + truncate));
    }
    if (problems.size() > before) {
      return null;
    }
    // As transformers reads them, 0 for beta_fast or beta_slow means the default.
    return new RopeScaling(type, factor, original, attention, betaFast == null || betaFast == 0 ? 32 : betaFast,
        betaSlow == null || betaSlow == 0 ? 1 : betaSlow, mscale, mscaleAllDim, truncate == null || truncate.isNull() || truncate.booleanValue());
  }

  private static Double number(JsonNode node, String key, String source, List<InputProblem> problems) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      problems.add(new InputProblem(source, 0, "rope_scaling." + key, "must be a number, not " + value));
      return null;
    }
    return value.doubleValue();
  }

  /** This scaling as {@code config.json} spells it, for writing back. */
  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode json = mapper.createObjectNode();
    json.put("rope_type", type.configName());
    json.put("type", type.configName());
    if (factor != null) {
      json.put("factor", factor);
    }
    if (originalMaxPositionEmbeddings != null) {
      json.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
    }
    if (type == Type.YARN) {
      if (attentionFactor != null) {
        json.put("attention_factor", attentionFactor);
      }
      json.put("beta_fast", betaFast);
      json.put("beta_slow", betaSlow);
      if (mscale != null) {
        json.put("mscale", mscale);
      }
      if (mscaleAllDim != null) {
        json.put("mscale_all_dim", mscaleAllDim);
      }
      json.put("truncate", truncate);
    }
    return json;
  }
}
