/**
 * Reward signals beyond correctness: the lines a patch adds or changes, their coverage by the tests,
 * lint issues the patch introduced, and the weighted composite.
 */
package dev.crucible.reward.signals;
