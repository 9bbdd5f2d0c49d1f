/**
 * The agent runtime: policies (who decides the next action), scaffolds (how tools and the policy are
 * put together) and the episode runner (sandbox, agent loop, final patch, grading, trajectory).
 */
package dev.crucible.rollout.agent;
