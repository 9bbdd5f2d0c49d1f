package dev.crucible.rollout.agent;

/** The policy could not be asked at all (endpoint unreachable or failing after retries): an infrastructure failure. */
public final class PolicyUnavailableException extends RuntimeException {
  public PolicyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
