package dev.crucible.rollout.tasks;

import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What every trial of one repository shares; plain values, so it can travel to Spark executors.
 *
 * @param image the sandbox image
 * @param taskRepository the task repository on a file system the trials can read
 * @param originalCommit the commit holding the original code
 * @param label the sandboxes' task label
 * @param passing the tests that pass on the original code
 * @param testTimeoutSeconds longest one run of the suite may take
 */
public record TrialContext(
    String image, String taskRepository, String originalCommit, String label, List<String> passing, long testTimeoutSeconds)
    implements Serializable {

  public TrialContext {
    passing = List.copyOf(passing);
  }

  public SandboxSpec sandboxSpec() {
    return SandboxSpec.builder().image(image).repository(Path.of(taskRepository)).baseCommit(originalCommit).taskId(label).build();
  }

  public Duration testTimeout() {
    return Duration.ofSeconds(testTimeoutSeconds);
  }
}
