package dev.crucible.rollout.search;

import dev.crucible.rollout.http.OpenAiEndpoint;
import java.io.Serializable;
import java.net.URI;

/**
 * An OpenAI-compatible {@code /v1/embeddings} endpoint and the model it serves, written {@code URL#MODEL} as the
 * {@code openai:} policy names its endpoint (for example {@code http://127.0.0.1:8000/v1#bge-small}; without
 * {@code #MODEL}, the model {@code default}). Serializable: executors receive it with a rollout's settings.
 */
public record EmbeddingsEndpoint(String baseUrl, String model) implements Serializable {
  public EmbeddingsEndpoint {
    baseUrl = baseUrl.replaceAll("/+$", "");
    if (!OpenAiEndpoint.isHttp(baseUrl)) {
      throw new IllegalArgumentException("the embeddings endpoint '" + baseUrl + "' needs an http(s) base URL, as http://host:port/v1#model");
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("the embeddings endpoint '" + baseUrl + "' names no model after '#'");
    }
  }

  /** {@code URL#MODEL}, or {@code URL} for the model {@code default}. */
  public static EmbeddingsEndpoint parse(String spec) {
    OpenAiEndpoint endpoint = OpenAiEndpoint.parse(spec);
    return new EmbeddingsEndpoint(endpoint.baseUrl(), endpoint.model());
  }

  /** Where the requests go. */
  public URI uri() {
    return URI.create(baseUrl + "/embeddings");
  }

  @Override
  public String toString() {
    return baseUrl + "#" + model;
  }
}
