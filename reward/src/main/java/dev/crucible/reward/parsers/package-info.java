/** Test-log parsers, chosen by a task's {@code log_parser}: pytest, unittest and JUnit XML. */
package dev.crucible.reward.parsers;
