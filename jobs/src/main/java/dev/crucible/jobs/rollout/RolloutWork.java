package dev.crucible.jobs.rollout;

import dev.crucible.data.ModeChooser;
import java.io.Serializable;

/**
 * One episode to run, as plain text for Spark.
 *
 * @param taskId the task's {@code instance_id}
 * @param taskJson the task in SWE-bench JSON
 * @param repository where its repository is (a bundle on the run's file system, or a local git directory), or null for a row worked on in its own image
 * @param sampleIndex which sample of the task
 * @param mode the name of the mode it runs in
 * @param modeChooser who chose that mode
 */
public record RolloutWork(String taskId, String taskJson, String repository, int sampleIndex, String mode, ModeChooser modeChooser)
    implements Serializable {}
