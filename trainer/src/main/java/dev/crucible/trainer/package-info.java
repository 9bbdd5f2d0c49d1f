/**
 * The policy model on Deep Java Library and its training algorithms (SFT, DPO, PPO, MRT). Empty until
 * the trainer issues land; the module exists so the build and the dependency graph of
 * shared/DESIGN.md hold.
 */
package dev.crucible.trainer;
