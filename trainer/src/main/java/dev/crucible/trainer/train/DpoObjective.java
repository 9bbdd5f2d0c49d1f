package dev.crucible.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.model.Scalars;
import java.util.ArrayList;
import java.util.List;

/** Direct preference optimization over pairs of responses with their reference log-probs. */
public final class DpoObjective implements Objective {

  /** One pair's rows and its reference log-probs, computed once before training. */
  public record ScoredPair(PackedRow chosen, PackedRow rejected, double referenceChosen, double referenceRejected) {}

  private final Qwen2Model model;
  private final List<ScoredPair> pairs;
  private final StepPlan plan;
  private final int batchSize;
  private final float beta;

  public DpoObjective(Qwen2Model model, List<ScoredPair> pairs, StepPlan plan, int batchSize, double beta) {
    this.model = model;
    this.pairs = pairs;
    this.plan = plan;
    this.batchSize = batchSize;
    this.beta = (float) beta;
  }

  @Override
  public StepResult accumulate(int step) {
    List<ScoredPair> chosen = plan.itemsOf(step).stream().map(pairs::get).toList();
    NDManager manager = model.manager();
    double loss = 0;
    long tokens = 0;
    int correct = 0;
    double margins = 0;
    double chosenLogprobs = 0;
    double rejectedLogprobs = 0;
    for (int from = 0; from < chosen.size(); from += batchSize) {
      List<ScoredPair> micro = chosen.subList(from, Math.min(chosen.size(), from + batchSize));
      List<PackedRow> rows = new ArrayList<>();
      micro.forEach(pair -> rows.add(pair.chosen()));
      micro.forEach(pair -> rows.add(pair.rejected()));
      tokens += rows.stream().mapToLong(PackedRow::realTokens).sum();
      int k = micro.size();
      try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        scope.suppressNotUsedWarning();
        NDArray sums = TokenLogprobs.rowSums(model, TokenLogprobs.Batch.of(manager, rows));
        NDArray policyChosen = sums.get("0:" + k);
        NDArray policyRejected = sums.get(k + ":");
        float[] chosenReferences = new float[k];
        float[] rejectedReferences = new float[k];
        for (int i = 0; i < k; i++) {
          chosenReferences[i] = (float) micro.get(i).referenceChosen();
          rejectedReferences[i] = (float) micro.get(i).referenceRejected();
        }
        NDArray referenceChosen = manager.create(chosenReferences);
        NDArray referenceRejected = manager.create(rejectedReferences);
        NDArray microLoss = Scalars.over(Losses.dpo(policyChosen, policyRejected, referenceChosen, referenceRejected, beta).sum(), chosen.size());
        collector.backward(microLoss);
        loss += microLoss.getFloat();
        float[] rewardsChosen = Losses.implicitReward(policyChosen, referenceChosen, beta).toFloatArray();
        float[] rewardsRejected = Losses.implicitReward(policyRejected, referenceRejected, beta).toFloatArray();
        float[] logprobsChosen = policyChosen.toFloatArray();
        float[] logprobsRejected = policyRejected.toFloatArray();
        for (int i = 0; i < k; i++) {
          correct += rewardsChosen[i] > rewardsRejected[i] ? 1 : 0;
          margins += rewardsChosen[i] - rewardsRejected[i];
          chosenLogprobs += logprobsChosen[i];
          rejectedLogprobs += logprobsRejected[i];
        }
      }
    }
    int n = chosen.size();
    return new StepResult(loss, tokens, (double) correct / n, margins / n, chosenLogprobs / n, rejectedLogprobs / n, null);
  }
}
