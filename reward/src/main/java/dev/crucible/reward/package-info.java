/**
 * Scoring of episodes from real test execution: test-log parsers, SWE-bench grading, coverage of
 * changed lines, lint issues introduced, token cost and the composite reward. Empty until the reward
 * issue lands; the module exists so the build and the dependency graph of shared/DESIGN.md hold.
 */
package dev.crucible.reward;
