package dev.crucible.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.crucible.trainer.model.Qwen2Model;
import java.util.List;

/** Supervised fine-tuning on packed rows: the negative log-likelihood of the assistant tokens. */
public final class SftObjective implements Objective {
  private final Qwen2Model model;
  private final List<PackedRow> rows;
  private final StepPlan plan;
  private final int batchSize;

  public SftObjective(Qwen2Model model, List<PackedRow> rows, StepPlan plan, int batchSize) {
    this.model = model;
    this.rows = rows;
    this.plan = plan;
    this.batchSize = batchSize;
    if (rows.stream().mapToLong(PackedRow::lossTokens).sum() == 0) {
      throw new IllegalArgumentException("no assistant token is left to learn from in " + rows.size()
          + " rows; are the sequences truncated before the first assistant message? Raise sequence_length.");
    }
  }

  @Override
  public StepResult accumulate(int step) {
    List<PackedRow> chosen = plan.itemsOf(step).stream().map(rows::get).toList();
    long lossTokens = Math.max(1, chosen.stream().mapToLong(PackedRow::lossTokens).sum());
    long tokens = chosen.stream().mapToLong(PackedRow::realTokens).sum();
    double loss = 0;
    NDManager manager = model.manager();
    for (int from = 0; from < chosen.size(); from += batchSize) {
      List<PackedRow> micro = chosen.subList(from, Math.min(chosen.size(), from + batchSize));
      try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        scope.suppressNotUsedWarning();
        NDArray logprobs = TokenLogprobs.counted(model, TokenLogprobs.Batch.of(manager, micro));
        NDArray microLoss = Losses.sft(logprobs, lossTokens);
        collector.backward(microLoss);
        loss += microLoss.getFloat();
      }
    }
    return StepResult.of(loss, tokens);
  }
}
