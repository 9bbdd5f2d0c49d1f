package dev.crucible.rollout.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxContractTest;
import dev.crucible.rollout.sandbox.SandboxLabels;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every sandbox contract, on sandboxes taken from a warm pool (started before the request, filled
 * after it); then what the pool itself promises. The support's check after each test finds no
 * container left behind, the pool's included.
 */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class WarmSandboxPoolTest extends SandboxContractTest {
  private WarmSandboxPool pool;

  @Override
  protected Sandbox create(SandboxSpec spec) {
    if (pool == null) {
      pool = new WarmSandboxPool(DockerTestSupport.client(), null, 1);
    }
    pool.warm(spec);
    return pool.create(spec);
  }

  @AfterEach
  void closePool() {
    pool.close();
  }

  @Test
  void requestsTakeStartedContainersAndEachServesOneSandbox() {
    assertThat(pool.counters()).isEqualTo(new WarmSandboxPool.Counters(1, 0));
    String first = ((DockerSandbox) sandbox).containerId();
    sandbox.exec("echo left behind > /tmp/mark", TIMEOUT);
    pool.warm(spec().build());
    try (Sandbox second = pool.create(spec().taskId("another").build())) {
      assertThat(((DockerSandbox) second).containerId()).as("a fresh container, never one reused").isNotEqualTo(first);
      ExecResult mark = second.exec("cat /tmp/mark", TIMEOUT);
      assertThat(mark.exitCode()).as("nothing of the first sandbox's").isNotZero();
      ExecResult files = second.exec("ls", TIMEOUT);
      assertThat(files.stdout()).contains("calc", "tests");
    }
    assertThat(pool.counters().hits()).isEqualTo(2);
  }

  @Test
  void aRequestOfAnotherShapeStartsItsOwnContainer() {
    try (Sandbox other = pool.create(spec().memoryBytes(256L << 20).build())) {
      assertThat(other.exec("cat calc/__init__.py", TIMEOUT).stdout()).contains("def add");
    }
    assertThat(pool.counters().misses()).isEqualTo(1);
  }

  @Test
  void closingRemovesTheContainersStillWaitingAndLeavesTheOnesInUse() {
    pool.warm(spec().build());
    String inUse = ((DockerSandbox) sandbox).containerId();
    assertThat(poolContainers()).as("one in use, one waiting").hasSize(2).contains(inUse);
    pool.close();
    assertThat(poolContainers()).containsExactly(inUse);
    assertThat(sandbox.exec("echo still here", TIMEOUT).stdout()).isEqualTo("still here\n");
  }

  private static List<String> poolContainers() {
    return DockerTestSupport.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(SandboxLabels.SANDBOX, "true", SandboxLabels.RUN, "warm-pool")).exec().stream().map(Container::getId).toList();
  }
}
