package dev.crucible.trainer.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token from one position's logits: greedy, or temperature and top-p sampling. */
final class Sampler {
  private final SamplingOptions options;
  private final Random random;

  Sampler(SamplingOptions options) {
    this.options = options;
    this.random = new Random(options.seed());
  }

  /** A token and its log-probability under the distribution it was drawn from. */
  record Pick(int token, float logprob) {}

  /**
   * Draws the next token. Its log-probability is of exactly the distribution it was drawn from:
   * {@code softmax(logits / T)} restricted to the top-p nucleus and renormalized over it. Greedy decoding
   * has no such distribution; it reports the model's log-probability at temperature 1.
   */
  Pick pick(float[] logits) {
    if (options.temperature() == 0) {
      int token = argmax(logits);
      return new Pick(token, (float) Math.log(softmax(logits, 1)[token]));
    }
    double[] probabilities = softmax(logits, options.temperature());
    Integer[] order = new Integer[logits.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
    double kept = 0;
    int cut = 0;
    while (cut < order.length && (cut == 0 || kept < options.topP())) {
      kept += probabilities[order[cut++]];
    }
    double target = random.nextDouble() * kept;
    double cumulative = 0;
    int token = order[cut - 1];
    for (int i = 0; i < cut; i++) {
      cumulative += probabilities[order[i]];
      if (cumulative >= target) {
        token = order[i];
        break;
      }
    }
    return new Pick(token, (float) (Math.log(probabilities[token]) - Math.log(kept)));
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double[] softmax(float[] logits, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float logit : logits) {
      max = Math.max(max, logit / temperature);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp(logits[i] / temperature - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }
}
