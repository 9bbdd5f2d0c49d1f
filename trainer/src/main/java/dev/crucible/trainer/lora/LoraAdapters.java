package dev.crucible.trainer.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.crucible.trainer.io.SafeTensors;
import dev.crucible.trainer.model.ParameterLayout;
import dev.crucible.trainer.model.ProjectionAdapter;
import dev.crucible.trainer.model.Qwen2Model;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Low-rank adapters (Hu et al.): each targeted projection {@code W} gains {@code (alpha / rank) * B A},
 * with {@code A [rank, in]} drawn small and {@code B [out, rank]} zero, so training starts from the base
 * model. Only the adapters train; the base weights stay frozen. Names follow PEFT
 * ({@code base_model.model.<projection>.lora_A.weight}), so {@code adapter_model.safetensors} loads there too.
 */
public final class LoraAdapters implements ProjectionAdapter, AutoCloseable {
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";
  private static final String PREFIX = "base_model.model.";

  private final int rank;
  private final double alpha;
  private final List<String> targets;
  private final NDManager manager;
  private final NDArray scale;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();

  /**
   * @param targets projection names to adapt, for example {@code q_proj} and {@code v_proj}
   */
  public LoraAdapters(Qwen2Model model, int rank, double alpha, List<String> targets, long seed) {
    if (rank < 1) {
      throw new IllegalArgumentException("LoRA rank must be at least 1, not " + rank);
    }
    this.rank = rank;
    this.alpha = alpha;
    this.targets = List.copyOf(targets);
    this.manager = model.manager().newSubManager();
    this.scale = manager.create((float) (alpha / rank));
    SplittableRandom random = new SplittableRandom(seed);
    int matched = 0;
    for (Map.Entry<String, NDArray> entry : model.parameters().entrySet()) {
      String name = entry.getKey();
      if (!name.endsWith(".weight") || name.equals(ParameterLayout.EMBEDDINGS) || name.equals(ParameterLayout.LM_HEAD)) {
        continue;
      }
      String projection = name.substring(0, name.length() - ".weight".length());
      if (targets.stream().noneMatch(target -> projection.endsWith("." + target))) {
        continue;
      }
      matched++;
      Shape shape = entry.getValue().getShape();
      float[] a = new float[Math.toIntExact(rank * shape.get(1))];
      double std = 1.0 / Math.sqrt(shape.get(1));
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) ((random.nextDouble() * 2 - 1) * std);
      }
      parameters.put(PREFIX + projection + ".lora_A.weight", manager.create(a, new Shape(rank, shape.get(1))));
      parameters.put(PREFIX + projection + ".lora_B.weight", manager.zeros(new Shape(shape.get(0), rank)));
    }
    if (matched == 0) {
      throw new IllegalArgumentException("no projection of the model matches the LoRA targets " + targets);
    }
  }

  /** The trainable arrays by PEFT name. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public NDArray delta(String name, NDArray x) {
    NDArray a = parameters.get(PREFIX + name + ".lora_A.weight");
    if (a == null) {
      return null;
    }
    NDArray b = parameters.get(PREFIX + name + ".lora_B.weight");
    NDArray low = Linear.linear(x, a).singletonOrThrow();
    return Linear.linear(low, b).singletonOrThrow().mul(scale);
  }

  /** Adds each adapter into its base weight, in place; afterwards the adapters must not be applied again. */
  public void mergeInto(Qwen2Model model) {
    for (Map.Entry<String, NDArray> entry : model.parameters().entrySet()) {
      String projection = entry.getKey().substring(0, Math.max(0, entry.getKey().length() - ".weight".length()));
      NDArray a = parameters.get(PREFIX + projection + ".lora_A.weight");
      if (a != null && entry.getKey().endsWith(".weight")) {
        NDArray b = parameters.get(PREFIX + projection + ".lora_B.weight");
        try (NDArray product = b.matMul(a).mul(scale)) {
          entry.getValue().addi(product);
        }
      }
    }
    model.setAdapter(null);
  }

  /** Replaces the adapter values with those in {@code stored} (from {@link #WEIGHTS_FILE}). */
  public void restore(Map<String, NDArray> stored) {
    SafeTensors.copyInto(parameters, stored, "the stored adapters");
  }

  /**
   * Writes the adapter as PEFT does: {@link AdapterConfig#FILE} and {@link #WEIGHTS_FILE}.
   *
   * @param baseModel the checkpoint directory (or name) the adapter applies to
   */
  public void save(Path dir, String baseModel) {
    new AdapterConfig(rank, alpha, targets, baseModel).write(dir);
    SafeTensors.write(dir.resolve(WEIGHTS_FILE), parameters);
  }

  /** The adapter saved in {@code dir}, on {@code model} (not yet applied to it). */
  public static LoraAdapters load(Path dir, Qwen2Model model) {
    AdapterConfig config = AdapterConfig.read(dir);
    LoraAdapters adapters = new LoraAdapters(model, config.rank(), config.alpha(), config.targets(), 0);
    try (NDManager scratch = model.manager().newSubManager()) {
      adapters.restore(SafeTensors.read(dir.resolve(WEIGHTS_FILE), scratch));
    } catch (RuntimeException e) {
      adapters.close();
      throw e;
    }
    return adapters;
  }

  /** The checkpoint {@code base} with the adapter in {@code adapterDir} merged into its weights. */
  public static Qwen2Model loadMerged(Path base, Path adapterDir, NDManager manager) {
    Qwen2Model model = Qwen2Model.load(base, manager);
    try (LoraAdapters adapters = load(adapterDir, model)) {
      adapters.mergeInto(model);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }

  @Override
  public void close() {
    manager.close();
  }
}
