package dev.crucible.trainer.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
  /**
   * Logits as flat as an untrained model's, over a vocabulary of 1500, hold many pairs of tokens closer
   * than float rounding. A batched pass perturbs logits by about that much; the pick must not care.
   */
  @Test
  void roundingNoiseInTheLogitsLeavesThePickAlone() {
    SplittableRandom random = new SplittableRandom(3);
    int changed = 0;
    int draws = 2000;
    for (int draw = 0; draw < draws; draw++) {
      float[] logits = new float[1500];
      float[] perturbed = new float[logits.length];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = (float) (random.nextGaussian() * 0.25);
        perturbed[i] = logits[i] + (float) ((random.nextDouble() - 0.5) * 2e-6); // As large as measured between batch sizes.
      }
      SamplingOptions options = new SamplingOptions(1, 1.0, 1.0, draw, List.of());
      if (new Sampler(options).pick(logits).token() != new Sampler(options).pick(perturbed).token()) {
        changed++;
      }
    }
    // Only a draw within the noise of a boundary can move: expected about 2000 x 1e-6. Walking the tokens
    // in order of probability instead changed 3 picks of these 2000: near-equal tokens swapped places.
    assertThat(changed).isZero();
  }

  @Test
  void theNucleusKeepsTheMostProbableTokensUntilTopPAndDrawsOnlyFromThem() {
    float[] logits = {0f, 3f, 1f, 2.5f, -1f};
    SamplingOptions options = new SamplingOptions(1, 1.0, 0.8, 0, List.of());
    // softmax: token 1 holds 0.5302, token 3 0.3216 (together 0.8518 >= 0.8); the rest are out.
    double[] p = {Math.exp(0), Math.exp(3), Math.exp(1), Math.exp(2.5), Math.exp(-1)};
    double sum = p[0] + p[1] + p[2] + p[3] + p[4];
    double kept = (p[1] + p[3]) / sum;
    for (long seed = 0; seed < 200; seed++) {
      Sampler.Pick pick = new Sampler(new SamplingOptions(1, 1.0, 0.8, seed, List.of())).pick(logits);
      assertThat(pick.token()).isIn(1, 3);
      assertThat((double) pick.logprob()).isCloseTo(Math.log(p[pick.token()] / sum / kept), org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(new Sampler(options).pick(logits).token()).isIn(1, 3);
  }
}
