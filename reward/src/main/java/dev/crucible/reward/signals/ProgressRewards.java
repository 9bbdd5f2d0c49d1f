package dev.crucible.reward.signals;

import dev.crucible.reward.grading.TestsReport;
import java.util.ArrayList;
import java.util.List;

/**
 * MRT's dense progress reward (Qu et al., 2025, "Optimizing Test-Time Compute via Meta Reinforcement
 * Fine-Tuning", section 4): the progress of an episode's j-th segment is {@code r_prg(j) = J(z_0..j) -
 * J(z_0..j-1)}, the change in the chance that stopping now succeeds. Here that chance is measured rather
 * than estimated: the working tree at the end of segment {@code j} (an edit boundary) is graded, and
 * {@code J_j} is the share of FAIL_TO_PASS tests it passes, or 0 when it breaks any PASS_TO_PASS test.
 * Before the first segment {@code J_0 = 0}: at a task's base commit its FAIL_TO_PASS tests fail.
 */
public final class ProgressRewards {
  private ProgressRewards() {}

  /** {@code J} of one graded working tree. */
  public static double score(TestsReport tests) {
    return tests.passToPassFailure().isEmpty() ? tests.failToPassFraction() : 0.0;
  }

  /**
   * {@code r_prg} of each boundary, in order, from its {@code J} ({@code null} where its grading failed:
   * an infrastructure failure is never a reward, so that boundary gets {@code null} and the next graded
   * one is measured against the last {@code J} known). The progress rewards sum to the last known {@code J}.
   */
  public static List<Double> steps(List<Double> scores) {
    List<Double> steps = new ArrayList<>(scores.size());
    double previous = 0;
    for (Double score : scores) {
      if (score == null) {
        steps.add(null);
      } else {
        steps.add(score - previous);
        previous = score;
      }
    }
    return steps;
  }
}
