package dev.crucible.rollout.evaluation;

import dev.crucible.reward.signals.RewardWeights;
import java.time.Duration;
import java.util.Objects;

/**
 * How evaluations run.
 *
 * @param testTimeout longest the test command may run (default 30 minutes, as the SWE-bench harness)
 * @param maxAttempts sandboxes tried before an infrastructure failure becomes an {@code ERROR} (default 3)
 * @param measureCoverage run pytest test commands under coverage.py (default true)
 * @param measureLint lint the touched Python files before and after (default true)
 * @param weights reward weights (default {@link RewardWeights#defaults()})
 */
public record EvaluationOptions(
    Duration testTimeout, int maxAttempts, boolean measureCoverage, boolean measureLint, RewardWeights weights) {

  public EvaluationOptions {
    Objects.requireNonNull(testTimeout, "testTimeout");
    if (testTimeout.isNegative() || testTimeout.isZero()) {
      throw new IllegalArgumentException("testTimeout must be positive, got " + testTimeout);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    Objects.requireNonNull(weights, "weights");
  }

  public static EvaluationOptions defaults() {
    return new EvaluationOptions(Duration.ofMinutes(30), 3, true, true, RewardWeights.defaults());
  }

  public EvaluationOptions withTestTimeout(Duration timeout) {
    return new EvaluationOptions(timeout, maxAttempts, measureCoverage, measureLint, weights);
  }
}
