package dev.crucible.rollout.tasks;

/** A repository cannot yield tasks; the message says why, with the test output that shows it. */
public final class TaskGenerationException extends RuntimeException {
  public TaskGenerationException(String message) {
    super(message);
  }
}
