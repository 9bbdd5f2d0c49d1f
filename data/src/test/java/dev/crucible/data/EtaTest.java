package dev.crucible.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtaTest {
  @Test
  void theRateSoFarTimesWhatIsLeft() {
    assertThat(Eta.of(3, 12, 30)).as("10 s a unit, 9 left").isEqualTo("ETA 1m30s");
    assertThat(Eta.of(1, 4, 5)).isEqualTo("ETA 15s");
    assertThat(Eta.of(1, 100, 120)).as("2 min a unit, 99 left").isEqualTo("ETA 3h18m");
  }

  @Test
  void nothingDoneYetHasNoEstimateAndAllDoneHasNothingLeft() {
    assertThat(Eta.of(0, 10, 30)).isEqualTo("ETA -");
    assertThat(Eta.of(10, 10, 30)).isEqualTo("ETA 0s");
  }
}
