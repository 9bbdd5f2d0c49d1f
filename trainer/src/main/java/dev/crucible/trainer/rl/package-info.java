/**
 * Learning from reward: advantage estimators (GRPO, RLOO, GAE for PPO), the policy and value losses,
 * KL to the reference, and how groups that lost members or carry no signal are treated. Every function
 * here is pure and unit-tested against values worked by hand.
 */
package dev.crucible.trainer.rl;
