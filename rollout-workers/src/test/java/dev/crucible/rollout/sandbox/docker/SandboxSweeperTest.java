package dev.crucible.rollout.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.SandboxSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class SandboxSweeperTest {

  @Test
  void removesTheSandboxOfAKilledJvmAndKeepsLiveOnes() throws Exception {
    SandboxHoldingJvm child = SandboxHoldingJvm.start();
    String orphanId = child.containerId();
    child.process().destroyForcibly(); // SIGKILL: no shutdown hook runs.
    assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(orphanId).as("container id printed by the child JVM").matches("[0-9a-f]{64}");

    DockerSandbox live = DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().taskId("live").build());
    try {
      SandboxSweeper.Sweep sweep = new SandboxSweeper(DockerTestSupport.client()).sweep(null);
      assertThat(sweep.removed()).contains(orphanId).doesNotContain(live.containerId());
      List<String> remaining =
          DockerTestSupport.client().listContainersCmd().withShowAll(true).exec().stream()
              .map(c -> c.getId())
              .toList();
      assertThat(remaining).contains(live.containerId()).doesNotContain(orphanId);
    } finally {
      live.close();
    }
  }

  @Test
  void aJvmStoppedWithSigtermRemovesItsOwnSandboxes() throws Exception {
    SandboxHoldingJvm child = SandboxHoldingJvm.start();
    assertThat(child.containerId()).matches("[0-9a-f]{64}");
    child.process().destroy(); // SIGTERM: the shutdown hook closes the sandbox.
    assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> remaining =
        DockerTestSupport.client().listContainersCmd().withShowAll(true).exec().stream().map(c -> c.getId()).toList();
    assertThat(remaining).doesNotContain(child.containerId());
  }

  @Test
  void removesSandboxesOlderThanTheMaximumAgeWhoeverOwnsThem() throws InterruptedException {
    DockerSandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().taskId("old").build());
    Thread.sleep(2_100);
    SandboxSweeper.Sweep sweep = new SandboxSweeper(DockerTestSupport.client()).sweep(Duration.ofSeconds(1));
    assertThat(sweep.removed()).contains(sandbox.containerId());
    sandbox.close();
  }
}
