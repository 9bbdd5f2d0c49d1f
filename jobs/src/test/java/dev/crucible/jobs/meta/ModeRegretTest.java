package dev.crucible.jobs.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crucible.data.EpisodeId;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.RewardBreakdown;
import dev.crucible.data.Trajectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regret against the oracle, worked by hand at lambda 0.001. Task a: fast resolves with 100 tokens (return
 * 0.9), deep with 400 (0.6); task b: fast fails with 50 tokens (-0.05), deep resolves with 500 (0.5); task
 * c's only fast episode is an infrastructure error, so c is left out.
 */
class ModeRegretTest {
  private static Trajectory episode(String mode, String task, Outcome outcome, double total, long tokens, long millis) {
    RewardBreakdown reward = outcome == Outcome.INFRA_ERROR ? null
        : new RewardBreakdown(outcome == Outcome.RESOLVED, outcome == Outcome.RESOLVED ? 1 : 0, 1, null, 0, tokens, 3, 0, 0, total);
    return new Trajectory(EpisodeId.of("r-" + mode, 0, task, 0), "r-" + mode, 0, task, 0, "scripted", "single", mode, ModeChooser.CONFIG,
        List.of(), "", outcome, outcome == Outcome.INFRA_ERROR ? "daemon gone" : null, reward, null, 0, millis);
  }

  private static ModeRegret regret() {
    Map<String, List<Trajectory>> byMode = new LinkedHashMap<>();
    byMode.put("fast", List.of(episode("fast", "a", Outcome.RESOLVED, 1.0, 100, 2000), episode("fast", "b", Outcome.UNRESOLVED, 0.0, 50, 1000),
        episode("fast", "c", Outcome.INFRA_ERROR, 0, 0, 10)));
    byMode.put("deep", List.of(episode("deep", "a", Outcome.RESOLVED, 1.0, 400, 4000), episode("deep", "b", Outcome.RESOLVED, 1.0, 500, 6000),
        episode("deep", "c", Outcome.RESOLVED, 1.0, 300, 3000)));
    return new ModeRegret(byMode, 0.001);
  }

  @Test
  void theOracleTakesEachTasksBestReturnAndTasksWithoutAGradedCellAreLeftOut() {
    ModeRegret regret = regret();
    assertThat(regret.tasks()).containsExactly("a", "b");
    assertThat(regret.excluded()).containsExactly("c");
    assertThat(regret.cell("a", "fast").meanReturn()).isCloseTo(0.9, within(1e-12));
    assertThat(regret.oracle("a")).isEqualTo("fast");
    assertThat(regret.oracle("b")).isEqualTo("deep");
    ModeRegret.Figures oracle = regret.oracleFigures();
    assertThat(oracle.regret()).isZero();
    assertThat(oracle.solveRate()).isEqualTo(1.0);
    assertThat(oracle.meanTokens()).isEqualTo(300.0);
  }

  @Test
  void aFixedModesRegretSumsWhatItLosesAgainstTheOracleTaskByTask() {
    ModeRegret regret = regret();
    ModeRegret.Figures fast = regret.fixed("fast");
    assertThat(fast.regret()).as("0 on a, 0.5 - (-0.05) on b").isCloseTo(0.55, within(1e-12));
    assertThat(fast.solveRate()).isEqualTo(0.5);
    assertThat(fast.meanTokens()).isEqualTo(75.0);
    assertThat(fast.meanSeconds()).isEqualTo(1.5);
    assertThat(fast.meanReturn()).isCloseTo(0.425, within(1e-12));
    ModeRegret.Figures deep = regret.fixed("deep");
    assertThat(deep.regret()).as("0.9 - 0.6 on a").isCloseTo(0.3, within(1e-12));
    assertThat(deep.solveRate()).isEqualTo(1.0);
    assertThat(deep.meanTokens()).isEqualTo(450.0);
  }

  @Test
  void aStochasticChoosersFiguresAreItsExpectation() {
    ModeRegret regret = regret();
    ModeRegret.Figures mixed = regret.figures(Map.of("a", new double[] {0.5, 0.5}, "b", new double[] {0, 1}));
    assertThat(mixed.regret()).as("half of 0.3 on a").isCloseTo(0.15, within(1e-12));
    assertThat(mixed.meanTokens()).as("(250 + 500) / 2").isCloseTo(375.0, within(1e-9));
    assertThat(mixed.solveRate()).isEqualTo(1.0);
  }
}
