package dev.crucible.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void meanAndPopulationStandardDeviation() {
    // mean 2.5; squared deviations 2.25, 0.25, 0.25, 2.25 average 1.25.
    Spread spread = Spread.of(new double[] {1, 2, 3, 4});
    assertThat(spread.mean()).isEqualTo(2.5);
    assertThat(spread.std()).isCloseTo(Math.sqrt(1.25), within(1e-15));
  }

  @Test
  void noValuesHaveNoSpread() {
    assertThat(Spread.of(new double[0])).isNull();
  }
}
