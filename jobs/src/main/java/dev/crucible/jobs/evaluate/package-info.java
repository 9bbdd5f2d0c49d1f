/**
 * {@code crucible evaluate}: the SWE-bench harness as a Spark job. Inputs are validated on the driver;
 * executors grade predictions in sandboxes, at most {@code --max-workers} at once per executor, and
 * write each instance's files; the driver writes the summary and the rewards table.
 */
package dev.crucible.jobs.evaluate;
