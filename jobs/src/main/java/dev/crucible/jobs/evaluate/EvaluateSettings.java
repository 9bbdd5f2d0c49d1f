package dev.crucible.jobs.evaluate;

import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import java.io.Serializable;
import java.time.Duration;

/**
 * The options of one evaluation run; Serializable because executors need them.
 *
 * @param runId names the run's folder under {@code out}
 * @param out the output folder (any Hadoop path)
 * @param maxWorkers sandboxes at once per executor
 * @param force re-evaluate instances that already have a report
 * @param sandbox which sandboxes
 * @param testTimeout longest a test command may run
 * @param maxAttempts sandboxes tried per instance before an infrastructure failure is an error
 * @param coverage run pytest commands under coverage.py for the changed-line coverage signal
 * @param lint lint the touched files for the lint signal
 * @param imageLimits the limits of containers that run rows' own eval scripts in their own images
 * @param reportDir where the run summaries go (SWE-bench's {@code --report_dir}); {@code out} when null
 */
public record EvaluateSettings(
    String runId,
    String out,
    int maxWorkers,
    boolean force,
    SandboxChoice sandbox,
    Duration testTimeout,
    int maxAttempts,
    boolean coverage,
    boolean lint,
    ImageLimits imageLimits,
    String reportDir)
    implements Serializable {

  public EvaluateSettings {
    reportDir = reportDir == null ? out : reportDir;
  }
}
