/**
 * SWE-bench 5's harness decisions, reimplemented to agree with it output for output: the checks it
 * makes of a test log before grading, its classification of infrastructure failures, and its
 * {@code report.json}.
 */
package dev.crucible.reward.swebench;
