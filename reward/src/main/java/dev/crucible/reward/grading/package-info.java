/** SWE-bench grading: which FAIL_TO_PASS and PASS_TO_PASS tests succeed, and the resolution status. */
package dev.crucible.reward.grading;
