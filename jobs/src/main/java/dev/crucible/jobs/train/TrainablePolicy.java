package dev.crucible.jobs.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.crucible.trainer.io.WeightFiles;
import dev.crucible.trainer.lora.LoraAdapters;
import dev.crucible.trainer.model.Qwen2Model;
import java.nio.file.Path;
import java.util.Map;

/**
 * The policy an RL iteration updates, as a policy directory holds it: a whole checkpoint, or LoRA adapters
 * (PEFT's files) on a frozen base checkpoint, which only the adapters' arrays train.
 */
final class TrainablePolicy implements AutoCloseable {
  private final Qwen2Model model;
  private final LoraAdapters adapters;
  private final Path base;

  private TrainablePolicy(Qwen2Model model, LoraAdapters adapters, Path base) {
    this.model = model;
    this.adapters = adapters;
    this.base = base;
  }

  /**
   * @param base the frozen checkpoint the adapters in {@code policy} apply to, or {@code null} when
   *     {@code policy} is a whole checkpoint
   */
  static TrainablePolicy load(Path policy, Path base, NDManager manager) {
    if (base == null) {
      return new TrainablePolicy(Qwen2Model.load(policy, manager), null, null);
    }
    Qwen2Model model = Qwen2Model.load(base, manager);
    try {
      LoraAdapters adapters = LoraAdapters.load(policy, model);
      model.setAdapter(adapters);
      return new TrainablePolicy(model, adapters, base);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The model as it samples: the base with the adapters applied, if any. */
  Qwen2Model model() {
    return model;
  }

  /** The arrays the update changes, by name. */
  Map<String, NDArray> parameters() {
    return adapters == null ? model.parameters() : adapters.parameters();
  }

  /** Writes the weights (not the tokenizer) as a policy directory holds them. */
  void save(Path dir) {
    if (adapters == null) {
      model.save(dir, WeightFiles.DEFAULT_MAX_SHARD_BYTES);
    } else {
      adapters.save(dir, base.toAbsolutePath().toString());
    }
  }

  @Override
  public void close() {
    if (adapters != null) {
      adapters.close();
    }
    model.close();
  }
}
