package dev.crucible.jobs.evaluate;

import java.io.Serializable;

/**
 * One prediction to grade, as plain text so Spark ships it cheaply.
 *
 * @param instanceId the task
 * @param taskJson the task in SWE-bench JSON
 * @param model the prediction's model name
 * @param patch the prediction's patch
 * @param repository the task's git repository on the executors' file system
 */
public record EvaluationWork(String instanceId, String taskJson, String model, String patch, String repository)
    implements Serializable {}
