package dev.crucible.rollout.search;

/**
 * The embeddings endpoint could not embed: an infrastructure failure. An episode that meets it ends as an
 * infrastructure error, never as a search the agent sees fail.
 */
public class EmbeddingsUnavailableException extends RuntimeException {
  public EmbeddingsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public EmbeddingsUnavailableException(String message) {
    super(message);
  }
}
