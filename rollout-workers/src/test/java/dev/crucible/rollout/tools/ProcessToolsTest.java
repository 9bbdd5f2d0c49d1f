package dev.crucible.rollout.tools;

import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.process.ProcessSandbox;

class ProcessToolsTest extends ToolsContractTest {
  @Override
  protected Sandbox create(SandboxSpec spec) {
    return ProcessSandbox.create(spec);
  }
}
