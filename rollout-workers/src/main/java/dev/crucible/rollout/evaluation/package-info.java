/**
 * Grading a patch the way the SWE-bench harness does, in a fresh sandbox: apply the model patch and
 * the test patch, run the task's tests (under coverage.py when they are pytest), lint the touched
 * files, parse, grade and score. Sandbox failures are retried and end as errors, never as model
 * failures.
 */
package dev.crucible.rollout.evaluation;
