package dev.crucible.rollout.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class SandboxSweeperTest {

  /** Run in a child JVM: creates a sandbox, prints its container id, and waits to be killed. */
  public static void main(String[] args) throws InterruptedException {
    DockerSandbox sandbox =
        DockerSandbox.create(DockerClients.fromEnvironment(), SandboxSpec.builder().taskId("orphan").build());
    System.out.println(sandbox.containerId());
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5).toMillis());
  }

  @Test
  void removesTheSandboxOfAKilledJvmAndKeepsLiveOnes() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SandboxSweeperTest.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String orphanId;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      orphanId = out.readLine();
    }
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(orphanId).as("container id printed by the child JVM").matches("[0-9a-f]{64}");

    DockerSandbox live = DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().taskId("live").build());
    try {
      SandboxSweeper.Sweep sweep = new SandboxSweeper(DockerTestSupport.client()).sweep(null);
      assertThat(sweep.removed()).containsExactly(orphanId);
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
  void removesSandboxesOlderThanTheMaximumAgeWhoeverOwnsThem() throws InterruptedException {
    DockerSandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().taskId("old").build());
    Thread.sleep(2_100);
    SandboxSweeper.Sweep sweep = new SandboxSweeper(DockerTestSupport.client()).sweep(Duration.ofSeconds(1));
    assertThat(sweep.removed()).contains(sandbox.containerId());
    sandbox.close();
  }
}
