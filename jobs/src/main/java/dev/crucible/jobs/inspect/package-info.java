/** Summaries behind {@code crucible inspect}: of trajectory tables and of task files. */
package dev.crucible.jobs.inspect;
