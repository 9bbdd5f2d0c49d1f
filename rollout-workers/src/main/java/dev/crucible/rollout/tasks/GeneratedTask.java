package dev.crucible.rollout.tasks;

import dev.crucible.data.TaskInstance;

/**
 * A generated task and the bug behind it, for studying difficulty and localization.
 *
 * @param task the task in the SWE-bench schema
 * @param mutation the bug that was planted
 */
public record GeneratedTask(TaskInstance task, MutationCandidate mutation) {}
