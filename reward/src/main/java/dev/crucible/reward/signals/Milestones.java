package dev.crucible.reward.signals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plan's fixed shaping bonuses, the alternative to MRT's progress rewards: each milestone pays once,
 * to the assistant turn that reached it first.
 *
 * <ul>
 *   <li>planning ({@value #PLANNING}): the first turn that read or searched the code before any change;
 *   <li>code ({@value #CODE}): the first edit boundary whose working tree differs from the base commit;
 *   <li>tests passing ({@value #TESTS_PASSING}): the first boundary whose graded tree passes every
 *       FAIL_TO_PASS test and breaks no PASS_TO_PASS test ({@code J = 1}, by the grader, never by the
 *       agent's own test output);
 *   <li>solved ({@value #SOLVED}): the last assistant turn of an episode whose final patch resolves the task.
 * </ul>
 *
 * Unlike progress, which sums to the last measured {@code J}, these pay for activity: a change that
 * fixes nothing still earns the code bonus. They are bounded ({@value #PLANNING} + {@value #CODE} +
 * {@value #TESTS_PASSING} + {@value #SOLVED} at most) and kept in their own column, so a run can train on
 * either shaping and compare.
 */
public final class Milestones {
  public static final double PLANNING = 0.1;
  public static final double CODE = 0.2;
  public static final double TESTS_PASSING = 0.3;
  public static final double SOLVED = 1.0;

  private Milestones() {}

  /**
   * One graded edit boundary.
   *
   * @param turn the assistant turn whose tool call made it
   * @param changed whether the tree differed from the base commit there
   * @param score {@code J} of that tree, or {@code null} when it was not graded
   */
  public record Boundary(int turn, boolean changed, Double score) {}

  /**
   * The bonus each assistant turn earned, by turn index.
   *
   * @param lookingTurns the assistant turns that read or searched the code, in order
   * @param boundaries the episode's edit boundaries, in order
   * @param resolvedAt the last assistant turn when the final patch resolved the task; {@code null} otherwise
   */
  public static Map<Integer, Double> bonuses(List<Integer> lookingTurns, List<Boundary> boundaries, Integer resolvedAt) {
    Map<Integer, Double> bonuses = new TreeMap<>();
    Integer firstChange = boundaries.stream().filter(Boundary::changed).map(Boundary::turn).findFirst().orElse(null);
    lookingTurns.stream()
        .filter(turn -> firstChange == null || turn < firstChange)
        .findFirst()
        .ifPresent(turn -> bonuses.merge(turn, PLANNING, Double::sum));
    if (firstChange != null) {
      bonuses.merge(firstChange, CODE, Double::sum);
    }
    boundaries.stream()
        .filter(boundary -> boundary.changed() && boundary.score() != null && boundary.score() >= 1.0)
        .findFirst()
        .ifPresent(boundary -> bonuses.merge(boundary.turn(), TESTS_PASSING, Double::sum));
    if (resolvedAt != null) {
      bonuses.merge(resolvedAt, SOLVED, Double::sum);
    }
    return bonuses;
  }
}
