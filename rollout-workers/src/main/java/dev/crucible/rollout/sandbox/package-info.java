/**
 * The sandbox contract: an isolated copy of a repository at a commit, in which commands run with
 * timeouts and bounded output. {@code docker} implements it with one container per episode;
 * {@code process} with a temporary directory and subprocesses, for machines without a Docker daemon.
 */
package dev.crucible.rollout.sandbox;
