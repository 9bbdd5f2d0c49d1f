package dev.crucible.rollout.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What an agent could do to hurt the machine, each contained by the Docker sandbox. */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class HostileCommandsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private DockerSandbox sandbox;

  @BeforeEach
  void create() {
    sandbox =
        DockerSandbox.create(
            DockerTestSupport.client(),
            SandboxSpec.builder().memoryBytes(256L << 20).pidsLimit(64).outputLimitBytes(256 * 1024).taskId("hostile").build());
  }

  @AfterEach
  void close() {
    sandbox.close();
  }

  @Test
  void reachesNoNetwork() {
    ExecResult result =
        sandbox.exec(
            "python3 -c \"import socket; socket.create_connection(('1.1.1.1', 53), timeout=3)\"; "
                + "python3 -c \"import socket; socket.getaddrinfo('deb.debian.org', 80)\"",
            TIMEOUT);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("Network is unreachable");
    assertThat(sandbox.exec("ls /sys/class/net", TIMEOUT).stdout().strip()).isEqualTo("lo");
  }

  @Test
  void containsAForkBombWithTheProcessLimit() {
    ExecResult bomb = sandbox.exec("bomb() { bomb | bomb & }; bomb; sleep 5", Duration.ofSeconds(10));
    assertThat(bomb.stderr()).contains("fork");
    ExecResult after = sandbox.exec("echo alive; ls -d /proc/[0-9]* | wc -l", TIMEOUT);
    assertThat(after.stdout()).startsWith("alive\n");
    assertThat(Integer.parseInt(after.stdout().lines().skip(1).findFirst().orElseThrow().strip())).isLessThan(64);
  }

  @Test
  void killsAndReportsAMemoryHog() {
    ExecResult hog = sandbox.exec("python3 -c \"x = bytearray(1024 * 1024 * 1024); print(len(x))\"", TIMEOUT);
    assertThat(hog.oomKilled()).isTrue();
    assertThat(hog.exitCode()).isEqualTo(137);
    assertThat(hog.timedOut()).isFalse();
    assertThat(sandbox.exec("echo still here", TIMEOUT).stdout()).isEqualTo("still here\n");
    assertThat(sandbox.exec("exit 137", TIMEOUT).oomKilled()).as("a later plain exit 137 is no OOM").isFalse();
  }

  @Test
  void stopsAnInfiniteLoopAtItsTimeout() {
    ExecResult loop = sandbox.exec("while :; do :; done", Duration.ofSeconds(2));
    assertThat(loop.timedOut()).isTrue();
    assertThat(loop.durationMillis()).isBetween(1_900L, 10_000L);
  }

  @Test
  void truncatesAHundredMegabytesOfOutput() {
    ExecResult flood = sandbox.exec("head -c 100000000 /dev/zero | tr '\\0' x; echo; echo 'last line'", TIMEOUT);
    assertThat(flood.exitCode()).isZero();
    assertThat(flood.stdoutBytes()).isEqualTo(100_000_000L + 1 + "last line\n".length());
    assertThat(flood.stdout().length()).isLessThan(256 * 1024 + 100);
    assertThat(flood.stdout()).endsWith("last line\n").contains("bytes truncated");
  }

  @Test
  void handlesBinaryOutput() {
    ExecResult binary = sandbox.exec("head -c 1000000 /dev/urandom; head -c 1000 /dev/urandom >&2", TIMEOUT);
    assertThat(binary.exitCode()).isZero();
    assertThat(binary.stdoutBytes()).isEqualTo(1_000_000L);
    assertThat(binary.stderrBytes()).isEqualTo(1_000L);
  }

  @Test
  void runsAsUnprivilegedAsItCan() {
    ExecResult escalate = sandbox.exec("mount -t tmpfs none /mnt 2>&1; mknod /tmp/dev c 1 1 2>&1; echo done", TIMEOUT);
    assertThat(escalate.stdout()).contains("permission denied").contains("Operation not permitted").endsWith("done\n");
  }
}
