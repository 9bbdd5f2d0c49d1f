package dev.crucible.rollout.sandbox.docker;

import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxContractTest;
import dev.crucible.rollout.sandbox.SandboxSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sandbox contract under gVisor ({@code --runtime runsc}), the runtime for untrusted models. */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class GvisorSandboxTest extends SandboxContractTest {
  @BeforeAll
  static void requireGvisor() {
    DockerTestSupport.requireRuntime(DockerTestSupport.GVISOR);
  }

  @Override
  protected Sandbox create(SandboxSpec spec) {
    return DockerSandbox.create(DockerTestSupport.client(), spec.withRuntime(DockerTestSupport.GVISOR));
  }
}
