package dev.crucible.jobs.evaluate;

import java.io.Serializable;

/**
 * One prediction to grade, as plain text so Spark ships it cheaply.
 *
 * @param instanceId the task
 * @param taskJson the task in SWE-bench JSON
 * @param model the prediction's model name
 * @param patch the prediction's patch
 * @param repository where the task's repository is (a bundle on the run's file system, or a local git directory), or null for a row with its own image
 */
public record EvaluationWork(String instanceId, String taskJson, String model, String patch, String repository)
    implements Serializable {}
