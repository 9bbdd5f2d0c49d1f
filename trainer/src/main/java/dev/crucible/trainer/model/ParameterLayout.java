package dev.crucible.trainer.model;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parameters a {@link Qwen2Config} calls for, with the names and shapes Hugging Face gives them. */
public final class ParameterLayout {
  public static final String EMBEDDINGS = "model.embed_tokens.weight";
  public static final String FINAL_NORM = "model.norm.weight";
  public static final String LM_HEAD = "lm_head.weight";

  private ParameterLayout() {}

  public static String layer(int index) {
    return "model.layers." + index + ".";
  }

  /** Name to shape, in the order {@code transformers} lists them. */
  public static Map<String, Shape> of(Qwen2Config config) {
    long h = config.hiddenSize();
    long kv = (long) config.numKeyValueHeads() * config.headDim();
    long ffn = config.intermediateSize();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    shapes.put(EMBEDDINGS, new Shape(config.vocabSize(), h));
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String p = layer(i);
      shapes.put(p + "self_attn.q_proj.weight", new Shape(h, h));
      shapes.put(p + "self_attn.q_proj.bias", new Shape(h));
      shapes.put(p + "self_attn.k_proj.weight", new Shape(kv, h));
      shapes.put(p + "self_attn.k_proj.bias", new Shape(kv));
      shapes.put(p + "self_attn.v_proj.weight", new Shape(kv, h));
      shapes.put(p + "self_attn.v_proj.bias", new Shape(kv));
      shapes.put(p + "self_attn.o_proj.weight", new Shape(h, h));
      shapes.put(p + "mlp.gate_proj.weight", new Shape(ffn, h));
      shapes.put(p + "mlp.up_proj.weight", new Shape(ffn, h));
      shapes.put(p + "mlp.down_proj.weight", new Shape(h, ffn));
      shapes.put(p + "input_layernorm.weight", new Shape(h));
      shapes.put(p + "post_attention_layernorm.weight", new Shape(h));
    }
    shapes.put(FINAL_NORM, new Shape(h));
    if (!config.tieWordEmbeddings()) {
      shapes.put(LM_HEAD, new Shape(config.vocabSize(), h));
    }
    return shapes;
  }
}
