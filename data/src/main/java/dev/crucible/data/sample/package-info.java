/**
 * Synthetic but realistically shaped data: trajectories with the turn counts, tool calls and
 * observation sizes of real episodes. Used by benchmarks and by the pipeline's sample stage until real
 * rollouts exist; every such row is marked with {@link SyntheticTrajectories#POLICY_VERSION}.
 */
package dev.crucible.data.sample;
