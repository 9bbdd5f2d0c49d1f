package dev.crucible.rollout.tools;

/** The agent asked for something that cannot be done; the message tells it what went wrong. */
public final class ToolFailure extends RuntimeException {
  public ToolFailure(String message) {
    super(message);
  }
}
