package dev.crucible.rollout.evaluation;

import dev.crucible.reward.swebench.InstanceReport;
import java.util.Optional;

/**
 * What SWE-bench 5's {@code run_instance} leaves beside the test output of a row run in its own image.
 *
 * @param evalScript {@code eval.sh}, the script run as {@code /bin/bash /eval.sh}, or null when it did not get that far
 * @param instanceLog {@code run_instance.log}, what the harness logged, with its timestamps
 * @param report {@code report.json}'s content, present exactly when the run was graded
 */
public record HarnessFiles(String evalScript, String instanceLog, Optional<InstanceReport> report) {}
