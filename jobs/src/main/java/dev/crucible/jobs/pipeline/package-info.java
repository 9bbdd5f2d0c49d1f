/**
 * {@code crucible pipeline}: the whole loop from tasks to a trained policy, driven by one YAML config.
 * Today it runs the stages that exist: load and store the tasks, a Spark stage that writes a sample run
 * of synthetic trajectories through the trajectory store, and the inspect summary.
 */
package dev.crucible.jobs.pipeline;
