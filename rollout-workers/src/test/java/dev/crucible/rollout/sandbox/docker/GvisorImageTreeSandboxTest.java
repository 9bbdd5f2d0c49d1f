package dev.crucible.rollout.sandbox.docker;

import org.junit.jupiter.api.BeforeAll;

/** Sandboxes of a SWE-bench image's {@code /testbed} under gVisor ({@code --runtime runsc}), the runtime for untrusted models. */
class GvisorImageTreeSandboxTest extends ImageTreeSandboxTest {
  @BeforeAll
  static void requireGvisor() {
    DockerTestSupport.requireRuntime(DockerTestSupport.GVISOR);
  }

  @Override
  protected String runtime() {
    return DockerTestSupport.GVISOR;
  }
}
