package dev.crucible.rollout.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SandboxLabelsTest {

  @Test
  void theOwnerRecordsTheStartTimeTheLivenessCheckReadsBack() {
    String owner = SandboxLabels.currentOwner();
    String[] parts = owner.split(":");
    long recorded = Long.parseLong(parts[2]);
    // Exactly the operating system's start time of this process, not the JVM's later one: on a loaded
    // machine the two differ by seconds, and a live owner's sandboxes were swept.
    assertThat(recorded).isEqualTo(ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli());
    assertThat(SandboxLabels.ownerIsDeadHere(owner)).isFalse();
  }

  @Test
  void aGoneProcessOrAReusedPidIsDeadAndAnotherHostIsNeverJudged() {
    String[] parts = SandboxLabels.currentOwner().split(":");
    assertThat(SandboxLabels.ownerIsDeadHere(parts[0] + ":" + parts[1] + ":" + (Long.parseLong(parts[2]) - 60_000))).isTrue();
    assertThat(SandboxLabels.ownerIsDeadHere(parts[0] + ":" + Integer.MAX_VALUE + ":" + parts[2])).isTrue();
    assertThat(SandboxLabels.ownerIsDeadHere("some-other-host:1:0")).isFalse();
    assertThat(SandboxLabels.ownerIsDeadHere("garbage")).isFalse();
  }
}
