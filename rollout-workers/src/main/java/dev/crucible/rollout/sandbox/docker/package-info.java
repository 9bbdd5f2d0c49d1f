/**
 * The Docker backend: one container per sandbox through docker-java, with the network off, CPU,
 * memory and process limits on, no host mounts, and labels that let {@link
 * dev.crucible.rollout.sandbox.docker.SandboxSweeper} remove containers whose JVM died.
 */
package dev.crucible.rollout.sandbox.docker;
