/**
 * Sandboxes, agent tools, scaffolds, policies and the episode runner that Spark executors drive.
 * Empty until the sandbox and rollout issues land; the module exists so the build and the dependency
 * graph of shared/DESIGN.md hold.
 */
package dev.crucible.rollout;
