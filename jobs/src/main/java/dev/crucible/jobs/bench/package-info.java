/**
 * Benchmarks behind {@code crucible bench}. Each measures our code and a baseline in the same run,
 * alternating them over several rounds, and reports medians and their ratio: on shared, noisy
 * machines only the ratio means something.
 */
package dev.crucible.jobs.bench;
