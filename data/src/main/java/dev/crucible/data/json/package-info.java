/**
 * JSON Lines readers and writers for the SWE-bench formats: task instances as published (where
 * {@code FAIL_TO_PASS} and {@code PASS_TO_PASS} are JSON text) and predictions.
 */
package dev.crucible.data.json;
