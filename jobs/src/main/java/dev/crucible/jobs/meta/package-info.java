/**
 * MRT's meta-controller at work: the features of each task, the choice of each episode's mode in
 * {@code auto} mode, and {@code crucible eval modes}, every task in every mode against the oracle.
 */
package dev.crucible.jobs.meta;
