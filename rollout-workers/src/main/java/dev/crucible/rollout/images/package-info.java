/**
 * Sandbox images: the recipe (a package list, shipped in the jar from {@code images/} at the
 * repository root) and the builder that makes the image offline with debootstrap and
 * {@code docker import}, or from the Dockerfile where a registry is reachable.
 */
package dev.crucible.rollout.images;
