package dev.crucible.rollout.sandbox.process;

import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxContractTest;
import dev.crucible.rollout.sandbox.SandboxSpec;

class ProcessSandboxTest extends SandboxContractTest {
  @Override
  protected Sandbox create(SandboxSpec spec) {
    return ProcessSandbox.create(spec);
  }
}
