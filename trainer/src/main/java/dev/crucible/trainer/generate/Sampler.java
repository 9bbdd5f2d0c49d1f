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
   *
   * <p>The draw walks the nucleus in token-id order, not in order of probability: then rounding noise in
   * the logits (a batched pass sums in another order than a single one) moves the boundaries between
   * tokens by as much as the noise, instead of reordering near-equal tokens and changing the pick whenever
   * the draw lands on one of them. Only the membership of the token at the nucleus's edge depends on order.
   */
  Pick pick(float[] logits) {
    if (options.temperature() == 0) {
      int token = argmax(logits);
      return new Pick(token, (float) Math.log(softmax(logits, 1)[token]));
    }
    double[] probabilities = softmax(logits, options.temperature());
    boolean[] inNucleus = nucleus(probabilities, options.topP());
    double kept = 0;
    int lastKept = 0;
    for (int i = 0; i < probabilities.length; i++) {
      if (inNucleus[i]) {
        kept += probabilities[i];
        lastKept = i;
      }
    }
    double target = random.nextDouble() * kept;
    double cumulative = 0;
    int token = lastKept;
    for (int i = 0; i < probabilities.length; i++) {
      if (inNucleus[i]) {
        cumulative += probabilities[i];
        if (cumulative >= target) {
          token = i;
          break;
        }
      }
    }
    return new Pick(token, (float) (Math.log(probabilities[token]) - Math.log(kept)));
  }

  /** The most probable tokens until their mass reaches {@code topP} (at least one); every token at top-p 1. */
  private static boolean[] nucleus(double[] probabilities, double topP) {
    boolean[] in = new boolean[probabilities.length];
    if (topP >= 1) {
      Arrays.fill(in, true);
      return in;
    }
    Integer[] order = new Integer[probabilities.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
    double mass = 0;
    for (int cut = 0; cut < order.length && (cut == 0 || mass < topP); cut++) {
      in[order[cut]] = true;
      mass += probabilities[order[cut]];
    }
    return in;
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
