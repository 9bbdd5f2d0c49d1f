package dev.crucible.rollout.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.http.JsonPost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings from an OpenAI-compatible {@code POST /v1/embeddings} (vLLM, Text Embeddings Inference, OpenAI's API
 * without a key, {@code crucible serve}): texts in batches of {@value #BATCH}, each cut to {@value #MAX_CHARS}
 * characters, answers placed by their {@code index}. Failed requests are retried with backoff; after that, or for
 * an answer that does not fit the request, {@link EmbeddingsUnavailableException}; a request the endpoint refused (a
 * 4xx), {@link EmbeddingsRefusedException}.
 */
public final class OpenAiEmbeddings implements Embedder {
  /** Texts per request. */
  static final int BATCH = 64;
  /**
   * Characters of a text sent: endpoints refuse inputs beyond their model's context, and a unit's path, name,
   * signature and docstring come first.
   */
  static final int MAX_CHARS = 8000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final EmbeddingsEndpoint endpoint;
  private final JsonPost requests;

  public OpenAiEmbeddings(EmbeddingsEndpoint endpoint, JsonPost requests) {
    this.endpoint = endpoint;
    this.requests = requests;
  }

  /** With a client of its own: 2 minutes a request, 3 retries from half a second. */
  public static OpenAiEmbeddings connect(EmbeddingsEndpoint endpoint) {
    Duration timeout = Duration.ofMinutes(2);
    return new OpenAiEmbeddings(endpoint, new JsonPost(JsonPost.httpClient(timeout), timeout, 3, Duration.ofMillis(500)));
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += BATCH) {
      vectors.addAll(batch(texts.subList(from, Math.min(texts.size(), from + BATCH))));
    }
    for (float[] vector : vectors) {
      if (vector.length != vectors.get(0).length) {
        throw unfit("vectors of " + vectors.get(0).length + " and of " + vector.length + " dimensions");
      }
      double squares = 0;
      for (float x : vector) {
        squares += (double) x * x;
      }
      if (!(squares > 0) || Double.isInfinite(squares)) { // Cosine similarity needs a finite, non-zero length.
        throw unfit("a vector of length " + Math.sqrt(squares));
      }
    }
    return vectors;
  }

  private List<float[]> batch(List<String> texts) {
    ObjectNode body = MAPPER.createObjectNode().put("model", endpoint.model()).put("encoding_format", "float");
    ArrayNode input = body.putArray("input");
    // An empty input is refused by OpenAI's API.
    texts.forEach(text -> input.add(text.isEmpty() ? " " : text.substring(0, Math.min(text.length(), MAX_CHARS))));
    JsonNode answer;
    try {
      answer = requests.send(endpoint.uri(), body);
    } catch (JsonPost.Failure e) {
      String message = e.describe("the embeddings endpoint " + endpoint.uri());
      throw e.refused() ? new EmbeddingsRefusedException(message, e) : new EmbeddingsUnavailableException(message, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingsUnavailableException("interrupted while asking " + endpoint.uri(), e);
    }
    JsonNode data = answer.path("data");
    if (!data.isArray() || data.size() != texts.size()) {
      throw unfit((data.isArray() ? data.size() + " embeddings" : "no 'data' list") + " for " + texts.size() + " inputs");
    }
    float[][] vectors = new float[texts.size()][];
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      JsonNode embedding = item.path("embedding");
      if (index < 0 || index >= texts.size() || vectors[index] != null || !embedding.isArray() || embedding.isEmpty()) {
        throw unfit("an item without a new index in [0, " + texts.size() + ") and a list of numbers: " + abbreviate(item.toString()));
      }
      vectors[index] = new float[embedding.size()];
      for (int i = 0; i < embedding.size(); i++) {
        vectors[index][i] = (float) embedding.get(i).asDouble();
      }
    }
    return List.of(vectors);
  }

  private EmbeddingsUnavailableException unfit(String what) {
    return new EmbeddingsUnavailableException("the embeddings endpoint " + endpoint.uri() + " (model " + endpoint.model() + ") answered " + what);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
