package dev.crucible.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.io.InputFiles;
import dev.crucible.trainer.io.StorageType;
import dev.crucible.trainer.io.WeightFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Qwen2 decoder written directly on DJL's NDArray operations: RMSNorm, rotary position embeddings,
 * grouped-query attention with q/k/v biases, a SwiGLU MLP and a tied or untied head. The parameters are
 * a map from Hugging Face names to float32 arrays, so a {@code transformers} checkpoint loads and saves
 * without conversion.
 *
 * <p>Scalars enter the graph as arrays, never as {@code mul(float)}: with the PyTorch engine a JVM-side
 * scalar in a backpropagated graph can corrupt gradients after a garbage collection (shared/NOTES.md).
 */
public final class Qwen2Model implements AutoCloseable {
  private final Qwen2Config config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  /** The rotary embedding's inverse frequencies up to {@code max_position_embeddings} positions. */
  private final NDArray inverseFrequencies;
  /** The factor on cos and sin (YaRN's attention temperature), or null when it is 1. */
  private final NDArray rotaryScale;
  private final NDArray attentionScale;
  /** How the weights are saved: as the checkpoint they came from stored them (float32 for random weights). */
  private final StorageType storage;
  private ProjectionAdapter adapter;

  private Qwen2Model(Qwen2Config config, NDManager manager, Map<String, NDArray> parameters, StorageType storage) {
    this.config = config;
    this.storage = storage;
    this.manager = manager;
    this.parameters = parameters;
    RopeScaling.Rotary rotary = config.rotary(config.maxPositionEmbeddings());
    this.inverseFrequencies = manager.create(floats(rotary.inverseFrequencies()));
    this.rotaryScale = rotary.attentionFactor() == 1.0 ? null : manager.create((float) rotary.attentionFactor());
    this.attentionScale = manager.create((float) (1.0 / Math.sqrt(config.headDim())));
  }

  /** A model with random weights drawn from {@code seed} (normal, std 0.02; norms at 1; biases at 0). */
  public static Qwen2Model random(Qwen2Config config, long seed, NDManager parent) {
    NDManager manager = parent.newSubManager();
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> entry : ParameterLayout.of(config).entrySet()) {
      String name = entry.getKey();
      float[] values = new float[Math.toIntExact(entry.getValue().size())];
      if (name.endsWith("norm.weight")) {
        java.util.Arrays.fill(values, 1f);
      } else if (!name.endsWith(".bias")) {
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (gaussian(random) * 0.02);
        }
      }
      NDArray array = manager.create(values, entry.getValue());
      array.setName(name);
      parameters.put(name, array);
    }
    return new Qwen2Model(config, manager, parameters, StorageType.F32);
  }

  /**
   * Loads {@code config.json} and the safetensors weights of a Hugging Face checkpoint directory.
   *
   * @throws InvalidInputException naming the directory or file that is missing or malformed
   */
  public static Qwen2Model load(Path dir, NDManager parent) {
    InputFiles.require(dir, InputFiles.Kind.DIRECTORY);
    Qwen2Config config = Qwen2Config.read(dir);
    NDManager manager = parent.newSubManager();
    Map<String, NDArray> stored = WeightFiles.load(dir, manager);
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    List<InputProblem> problems = new ArrayList<>();
    for (Map.Entry<String, Shape> entry : ParameterLayout.of(config).entrySet()) {
      NDArray array = stored.remove(entry.getKey());
      if (array == null) {
        problems.add(new InputProblem(dir.toString(), 0, entry.getKey(), "is missing from the weights"));
      } else if (!array.getShape().equals(entry.getValue())) {
        problems.add(new InputProblem(dir.toString(), 0, entry.getKey(),
            "has shape " + array.getShape() + " but config.json calls for " + entry.getValue()));
      } else {
        parameters.put(entry.getKey(), array);
      }
    }
    // A tied checkpoint may still carry the head as a copy of the embeddings; it is not used.
    stored.keySet().remove(ParameterLayout.LM_HEAD);
    stored.keySet().stream().filter(name -> !name.endsWith("rotary_emb.inv_freq"))
        .forEach(name -> problems.add(new InputProblem(dir.toString(), 0, name, "is not a Qwen2 parameter")));
    if (!problems.isEmpty()) {
      manager.close();
      throw new InvalidInputException(problems);
    }
    stored.values().forEach(NDArray::close);
    return new Qwen2Model(config, manager, parameters, WeightFiles.storage(dir));
  }

  /**
   * Writes {@code config.json} and the weights into {@code dir}, sharded above {@code maxShardBytes}, in
   * the type the checkpoint was loaded in (rounded to it from the float32 the model computes in).
   */
  public void save(Path dir, long maxShardBytes) {
    config.write(dir, storage.torchName());
    WeightFiles.save(dir, parameters, maxShardBytes, storage);
  }

  /** How {@link #save} stores the weights. */
  public StorageType storage() {
    return storage;
  }

  public Qwen2Config config() {
    return config;
  }

  /** The parameters by Hugging Face name; the arrays are live, so an optimizer updates them in place. */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  public NDManager manager() {
    return manager;
  }

  public void setAdapter(ProjectionAdapter adapter) {
    this.adapter = adapter;
  }

  /**
   * Logits {@code [batch, length, vocab]} for token ids {@code [batch, length]} (int64).
   *
   * @param positions position of each token {@code [batch, length]} (int64), from 0 within its sequence
   * @param bias additive mask {@code [batch or 1, 1, length, keys]} from {@link AttentionBias}
   * @param cache the cache rows that hold earlier positions and take these ones; or {@code null} when training
   */
  public NDArray forward(NDArray ids, NDArray positions, NDArray bias, KvCache.Window cache) {
    return logits(hidden(ids, positions, bias, cache));
  }

  /** The final normalized hidden states {@code [batch, length, hidden]}. */
  public NDArray hidden(NDArray ids, NDArray positions, NDArray bias, KvCache.Window cache) {
    NDArray embeddings = parameter(ParameterLayout.EMBEDDINGS);
    NDArray x = ids.getNDArrayInternal().embedding(ids, embeddings, SparseFormat.DENSE).singletonOrThrow();
    NDArray[] rotary = rotary(positions);
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String prefix = ParameterLayout.layer(i);
      NDArray attended = attention(i, rmsNorm(x, prefix + "input_layernorm.weight"), rotary, bias, cache);
      x = x.add(attended);
      x = x.add(mlp(prefix, rmsNorm(x, prefix + "post_attention_layernorm.weight")));
    }
    return rmsNorm(x, ParameterLayout.FINAL_NORM);
  }

  /** Logits for hidden states {@code [..., hidden]}. */
  public NDArray logits(NDArray hidden) {
    String head = config.tieWordEmbeddings() ? ParameterLayout.EMBEDDINGS : ParameterLayout.LM_HEAD;
    return Linear.linear(hidden, parameter(head)).singletonOrThrow();
  }

  private NDArray attention(int layer, NDArray x, NDArray[] rotary, NDArray bias, KvCache.Window cache) {
    String prefix = ParameterLayout.layer(layer) + "self_attn.";
    long batch = x.getShape().get(0);
    long length = x.getShape().get(1);
    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    int size = config.headDim();
    NDArray q = split(project(prefix + "q_proj", x), batch, length, heads, size);
    NDArray k = split(project(prefix + "k_proj", x), batch, length, kvHeads, size);
    NDArray v = split(project(prefix + "v_proj", x), batch, length, kvHeads, size);
    q = rotate(q, rotary);
    k = rotate(k, rotary);
    if (cache != null) {
      NDArray[] all = cache.append(layer, k, v);
      k = all[0];
      v = all[1];
    }
    // Grouped-query attention without copying the keys and values once per query head (which, over a
    // KV cache, copies the whole cache every decoding step): the query heads that share a key-value head
    // are consecutive, so [batch, heads, length, size] folds into [batch, kvHeads, group * length, size].
    long keys = k.getShape().get(2);
    long group = heads / kvHeads;
    NDArray scores = q.reshape(batch, kvHeads, group * length, size).matMul(k.transpose(0, 1, 3, 2))
        .reshape(batch, heads, length, keys).mul(attentionScale).add(bias);
    NDArray mixed = scores.softmax(-1).reshape(batch, kvHeads, group * length, keys).matMul(v)
        .reshape(batch, heads, length, size).transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * size);
    return project(prefix + "o_proj", mixed);
  }

  private NDArray mlp(String prefix, NDArray x) {
    NDArray gate = project(prefix + "mlp.gate_proj", x);
    NDArray silu = gate.mul(Activation.sigmoid(gate));
    return project(prefix + "mlp.down_proj", silu.mul(project(prefix + "mlp.up_proj", x)));
  }

  private NDArray project(String name, NDArray x) {
    NDArray out = Linear.linear(x, parameter(name + ".weight"), parameters.get(name + ".bias")).singletonOrThrow();
    NDArray delta = adapter == null ? null : adapter.delta(name, x);
    return delta == null ? out : out.add(delta);
  }

  private NDArray rmsNorm(NDArray x, String weight) {
    NDArray rms = x.square().mean(new int[] {-1}, true).add((float) config.rmsNormEps()).sqrt();
    return x.div(rms).mul(parameter(weight));
  }

  /**
   * cos and sin of each position's angles, {@code [batch, 1, length, head size]}, times the rotary scale.
   * Dynamic scaling recomputes the frequencies for the call's longest sequence past
   * {@code max_position_embeddings}, as transformers does while sequences grow.
   */
  private NDArray[] rotary(NDArray positions) {
    NDArray frequencies = inverseFrequencies;
    if (config.ropeScaling() != null && config.ropeScaling().type() == RopeScaling.Type.DYNAMIC) {
      int length = Math.toIntExact(positions.max().toLongArray()[0] + 1);
      if (length > config.maxPositionEmbeddings()) {
        frequencies = positions.getManager().create(floats(config.rotary(length).inverseFrequencies()));
      }
    }
    NDArray angles = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(frequencies);
    NDArray full = angles.concat(angles, -1).expandDims(1);
    return rotaryScale == null ? new NDArray[] {full.cos(), full.sin()}
        : new NDArray[] {full.cos().mul(rotaryScale), full.sin().mul(rotaryScale)};
  }

  private static float[] floats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  /** Hugging Face's rotate-half convention: the two halves of each head are the pair rotated together. */
  private static NDArray rotate(NDArray x, NDArray[] rotary) {
    long half = x.getShape().get(3) / 2;
    NDArray first = x.get(":, :, :, :" + half);
    NDArray second = x.get(":, :, :, " + half + ":");
    NDArray rotatedHalf = second.neg().concat(first, -1);
    return x.mul(rotary[0]).add(rotatedHalf.mul(rotary[1]));
  }

  private static NDArray split(NDArray x, long batch, long length, int heads, int size) {
    return x.reshape(batch, length, heads, size).transpose(0, 2, 1, 3);
  }

  private NDArray parameter(String name) {
    NDArray array = parameters.get(name);
    if (array == null) {
      throw new IllegalStateException("no parameter " + name);
    }
    return array;
  }

  private static double gaussian(SplittableRandom random) {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  @Override
  public void close() {
    manager.close();
  }
}
