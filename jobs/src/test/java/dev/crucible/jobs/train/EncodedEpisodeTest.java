package dev.crucible.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedEpisodeTest {
  private static EncodedEpisode episode(String outcome, Double reward) {
    return new EncodedEpisode("e", "r", 0, "t", outcome, outcome.equals("resolved"), reward, List.of(), List.of());
  }

  @Test
  void anEpisodeTheAgentLeftWithoutAChangeIsWorthNothingWhileAnInfraErrorTakesNoPart() {
    assertThat(episode("resolved", 1.2).pairingReward()).isEqualTo(1.2);
    assertThat(episode("unresolved", -0.05).pairingReward()).isEqualTo(-0.05);
    assertThat(episode("agent_error", null).pairingReward()).isEqualTo(0.0);
    assertThat(episode("unresolved", null).pairingReward()).isEqualTo(0.0);
    assertThat(episode("infra_error", null).pairingReward()).isNull();
  }
}
