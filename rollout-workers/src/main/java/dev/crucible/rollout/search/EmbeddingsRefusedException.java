package dev.crucible.rollout.search;

/**
 * The embeddings endpoint answered and refused the texts sent (a 4xx): what was sent failed, not the endpoint. For an
 * agent's query, once the endpoint has embedded the whole snapshot, that is the query's fault, and search_code says so
 * to the agent; an episode must not vanish as an infrastructure error because its agent wrote a query the endpoint
 * refuses (too long for the model's context, say).
 */
public final class EmbeddingsRefusedException extends EmbeddingsUnavailableException {
  public EmbeddingsRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
