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
  void runsAsAnUnprivilegedUserThatCannotTouchTheSystem() {
    ExecResult escalate =
        sandbox.exec(
            "id -u; mount -t tmpfs none /mnt 2>&1; mknod /tmp/dev c 1 1 2>&1; cp /bin/true /usr/bin/git 2>&1;"
                + " echo x > /etc/evil 2>&1; echo done",
            TIMEOUT);
    assertThat(escalate.stdout())
        .startsWith("1000\n")
        .contains("must be superuser")
        .contains("Operation not permitted")
        .contains("Read-only file system")
        .endsWith("done\n");
  }

  @Test
  void killingEveryProcessItCanLeavesTheSandboxStanding() {
    ExecResult kill = sandbox.exec("sleep 3041 & kill -9 -1; echo the shell itself is spared", TIMEOUT);
    assertThat(kill.stdout()).isEqualTo("the shell itself is spared\n");
    assertThat(survivors("304")).isZero();
    assertThat(sandbox.exec("echo alive", TIMEOUT).stdout()).isEqualTo("alive\n");
    ExecResult killInit = sandbox.exec("kill -9 1 2>&1; echo tried", TIMEOUT);
    assertThat(killInit.stdout()).contains("Operation not permitted").endsWith("tried\n");
    assertThat(sandbox.exec("echo still alive", TIMEOUT).stdout()).isEqualTo("still alive\n");
  }

  @Test
  void processesThatLeaveTheirGroupDieWithTheirCommand() {
    long start = System.nanoTime();
    ExecResult escape =
        sandbox.exec("setsid sleep 3021 & (sleep 3022 &) ; nohup sleep 3023 >/dev/null 2>&1 & sleep 3024 & echo started", TIMEOUT);
    assertThat(escape.stdout()).isEqualTo("started\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("returns when its own process exits").isLessThan(Duration.ofSeconds(20));
    assertThat(survivors("302")).isZero();

    ExecResult timedOut = sandbox.exec("setsid sleep 3031 & (setsid sleep 3032 &); sleep 3033", Duration.ofSeconds(1));
    assertThat(timedOut.timedOut()).isTrue();
    assertThat(survivors("303")).isZero();
  }

  @Test
  void aDiskBombFillsItsOwnQuotaAndNotTheHost() {
    DockerSandbox small =
        DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().diskBytes(32L << 20).taskId("disk-bomb").build());
    try {
      ExecResult bomb = small.exec("head -c 100000000 /dev/zero > /repo/big; head -c 100000000 /dev/zero > /tmp/big", TIMEOUT);
      assertThat(bomb.stderr()).contains("No space left on device");
      assertThat(small.exec("stat -c %s /repo/big /tmp/big", TIMEOUT).stdout().lines().map(Long::parseLong))
          .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(32L << 20));
      Long writableLayer =
          DockerTestSupport.client().inspectContainerCmd(small.containerId()).withSize(true).exec().getSizeRw();
      assertThat(writableLayer).as("bytes the container wrote to the host's disk").isLessThan(1L << 20);
    } finally {
      small.close();
    }
  }

  @Test
  void writesNothingToTheDaemonsLog() {
    ExecResult flood = sandbox.exec("head -c 50000000 /dev/zero > /proc/1/fd/1", TIMEOUT);
    assertThat(flood.exitCode()).isNotZero();
    assertThat(flood.stderr()).contains("Permission denied");
    assertThat(DockerTestSupport.client().inspectContainerCmd(sandbox.containerId()).exec().getHostConfig().getLogConfig().getType())
        .hasToString("none");
  }

  @Test
  void nothingInTheWorkdirChangesWhatTheDiffSays() {
    sandbox.exec(
        "printf 'def f():\\n    return 1\\n' > real.py;"
            + " git config diff.external /tmp/fake-diff; git config core.pager cat;"
            + " printf '#!/bin/sh\\necho forged\\n' > /tmp/fake-diff; chmod +x /tmp/fake-diff;"
            + " printf '* diff=forged\\n*.py -diff\\n' > .gitattributes; git config diff.forged.textconv /tmp/fake-diff;"
            + " mkdir -p /tmp/bin; printf '#!/bin/sh\\necho forged\\n' > /tmp/bin/git; chmod +x /tmp/bin/git",
        TIMEOUT);
    String diff = sandbox.diff();
    assertThat(diff).doesNotContainPattern("(?m)^forged$").contains("+++ b/real.py\n").contains("+    return 1\n");
    assertThat(sandbox.exec("git diff --stat >/dev/null; echo the agent git still works", TIMEOUT).stdout())
        .contains("still works");
  }

  /** Processes whose command line starts with {@code sleep PREFIX}, seen by root. */
  private long survivors(String prefix) {
    ExecResult listing =
        sandbox.exec("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done", TIMEOUT);
    return listing.stdout().lines().filter(line -> line.startsWith("sleep " + prefix)).count();
  }
}
