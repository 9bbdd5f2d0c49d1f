package dev.crucible.rollout.sandbox.docker;

import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A child JVM that creates a Docker sandbox, prints its container id, and waits to be stopped. */
public final class SandboxHoldingJvm {
  private final Process process;
  private final String containerId;

  private SandboxHoldingJvm(Process process, String containerId) {
    this.process = process;
    this.containerId = containerId;
  }

  public static void main(String[] args) throws InterruptedException {
    DockerSandbox sandbox =
        DockerSandbox.create(DockerClients.fromEnvironment(), SandboxSpec.builder().taskId("held").build());
    System.out.println(sandbox.containerId());
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5).toMillis());
  }

  /** Starts the child on the test classpath and waits until its sandbox exists. */
  static SandboxHoldingJvm start() throws IOException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SandboxHoldingJvm.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return new SandboxHoldingJvm(process, out.readLine());
  }

  Process process() {
    return process;
  }

  String containerId() {
    return containerId;
  }
}
