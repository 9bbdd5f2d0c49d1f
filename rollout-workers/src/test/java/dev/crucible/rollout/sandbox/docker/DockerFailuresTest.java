package dev.crucible.rollout.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxException.Kind;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Docker's own failures come back typed, saying whether a retry can help, and never hang. */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class DockerFailuresTest {

  @Test
  void aDaemonThatIsGoneIsRetryableAndQuick() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> DockerSandbox.create(DockerClients.connect("unix:///tmp/no-docker-here.sock"), SandboxSpec.builder().build()))
        .isInstanceOfSatisfying(
            SandboxException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.DAEMON_UNAVAILABLE);
              assertThat(e.retryable()).isTrue();
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aMissingImageIsBadInputAndLeavesNoContainer() {
    assertThatThrownBy(
            () ->
                DockerSandbox.create(
                    DockerTestSupport.client(), SandboxSpec.builder().image("crucible/no-such-image:1").build()))
        .isInstanceOfSatisfying(
            SandboxException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.IMAGE_NOT_FOUND);
              assertThat(e.kind().category()).isEqualTo(SandboxException.Category.BAD_INPUT);
              assertThat(e.retryable()).isFalse();
            })
        .hasMessageContaining("run 'crucible images build'");
  }

  @Test
  void aContainerKilledUnderneathIsRetryable() {
    DockerSandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().build());
    try {
      DockerTestSupport.client().killContainerCmd(sandbox.containerId()).exec();
      assertThatThrownBy(() -> sandbox.exec("true", Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(
              SandboxException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.CONTAINER_GONE);
                assertThat(e.retryable()).isTrue();
              });
    } finally {
      sandbox.close();
    }
  }

  @Test
  void aContainerRemovedUnderneathIsRetryableAndCloseStillWorks() {
    DockerSandbox sandbox = DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().build());
    DockerTestSupport.client().removeContainerCmd(sandbox.containerId()).withForce(true).exec();
    assertThatThrownBy(() -> sandbox.diff())
        .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONTAINER_GONE));
    sandbox.close();
  }
}
