/**
 * The fallback backend for machines without a Docker daemon: a temporary copy of the repository and
 * commands as subprocesses. It isolates far less than a container and says so when used.
 */
package dev.crucible.rollout.sandbox.process;
