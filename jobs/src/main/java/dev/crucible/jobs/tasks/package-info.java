/** The task factory's Spark side: candidate trials spread over executors, for large repositories. */
package dev.crucible.jobs.tasks;
