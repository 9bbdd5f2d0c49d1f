/**
 * The data contracts every module shares: task instances in the SWE-bench schema, predictions,
 * trajectories with their turns and reward breakdowns, and preference pairs. Records here are plain
 * immutable Java; their Parquet and JSON forms live in {@code dev.crucible.data.parquet} and
 * {@code dev.crucible.data.json}.
 */
package dev.crucible.data;
