package dev.crucible.rollout.sandbox.docker;

import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxContractTest;
import dev.crucible.rollout.sandbox.SandboxSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class DockerSandboxTest extends SandboxContractTest {
  @Override
  protected Sandbox create(SandboxSpec spec) {
    return DockerSandbox.create(DockerTestSupport.client(), spec);
  }
}
