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
 * @param scriptGrading how rows run by their own eval script are graded (default {@link ScriptGrading#HARDENED},
 *     the one a reward can trust; {@code crucible evaluate} asks for the official one)
 */
public record EvaluationOptions(
    Duration testTimeout, int maxAttempts, boolean measureCoverage, boolean measureLint, RewardWeights weights, ScriptGrading scriptGrading) {

  /** Options with the hardened grading of eval scripts. */
  public EvaluationOptions(Duration testTimeout, int maxAttempts, boolean measureCoverage, boolean measureLint, RewardWeights weights) {
    this(testTimeout, maxAttempts, measureCoverage, measureLint, weights, ScriptGrading.HARDENED);
  }

  public EvaluationOptions {
    Objects.requireNonNull(testTimeout, "testTimeout");
    if (testTimeout.isNegative() || testTimeout.isZero()) {
      throw new IllegalArgumentException("testTimeout must be positive, got " + testTimeout);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(scriptGrading, "scriptGrading");
  }

  public static EvaluationOptions defaults() {
    return new EvaluationOptions(Duration.ofMinutes(30), 3, true, true, RewardWeights.defaults());
  }

  public EvaluationOptions withTestTimeout(Duration timeout) {
    return new EvaluationOptions(timeout, maxAttempts, measureCoverage, measureLint, weights, scriptGrading);
  }

  public EvaluationOptions withScriptGrading(ScriptGrading grading) {
    return new EvaluationOptions(testTimeout, maxAttempts, measureCoverage, measureLint, weights, grading);
  }
}
