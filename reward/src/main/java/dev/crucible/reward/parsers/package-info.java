/**
 * Test-log parsers, chosen by a task's {@code log_parser}: Crucible's pytest, unittest and JUnit XML,
 * and SWE-bench 5's registry under its own names, reimplemented to give its results (Python's string
 * rules that decide them reproduced by {@link dev.crucible.reward.parsers.PythonText}).
 */
package dev.crucible.reward.parsers;
