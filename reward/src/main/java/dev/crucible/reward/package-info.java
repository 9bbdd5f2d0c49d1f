/**
 * Scoring of episodes from real test execution, as pure functions of logs, diffs and reports: test-log
 * parsers ({@code parsers}), SWE-bench grading of FAIL_TO_PASS and PASS_TO_PASS ({@code grading}),
 * coverage of changed lines and lint issues introduced ({@code signals}), and the composite reward.
 * Running the tests in a sandbox is the rollout module's job; it feeds these functions.
 */
package dev.crucible.reward;
