package dev.crucible.rollout.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A JSON request to an OpenAI-compatible endpoint, retried with exponential backoff where a retry can help: a
 * failed connection, a 429 or a 5xx. Another status ends it at once.
 *
 * @param timeout longest one request may take
 * @param maxRetries retries after a failed request
 * @param backoff wait before the first retry; doubled each time
 */
public record JsonPost(HttpClient client, Duration timeout, int maxRetries, Duration backoff) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Why a request failed for good, with how many attempts it made. */
  public static final class Failure extends Exception {
    private final int attempts;
    private final boolean refused;

    Failure(int attempts, Exception last, boolean refused) {
      super(last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage(), last);
      this.attempts = attempts;
      this.refused = refused;
    }

    /** Whether the server answered and refused the request (a 4xx other than 429): its content, not the server, failed. */
    public boolean refused() {
      return refused;
    }

    /** {@code "<what> failed[ after N attempts]: <reason>"}. */
    public String describe(String what) {
      return what + " failed" + (attempts > 1 ? " after " + attempts + " attempts" : "") + ": " + getMessage();
    }
  }

  /** A client for many requests, which it shares. */
  public static HttpClient httpClient(Duration connectTimeout) {
    return HttpClient.newBuilder().connectTimeout(connectTimeout).build();
  }

  /**
   * POSTs {@code body} to {@code endpoint} and reads the 200 answer's JSON.
   *
   * @throws Failure when every attempt failed, or the server refused the request
   * @throws InterruptedException when the thread was interrupted, the interrupt status kept
   */
  public JsonNode send(URI endpoint, JsonNode body) throws Failure, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    Exception last = null;
    boolean refused = false;
    int attempt = 0;
    while (attempt <= maxRetries) {
      if (attempt > 0) {
        Thread.sleep(backoff.multipliedBy(1L << (attempt - 1)).toMillis());
      }
      attempt++;
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return MAPPER.readTree(response.body());
        }
        last = new IOException("HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
        if (response.statusCode() < 500 && response.statusCode() != 429) {
          refused = true;
          break;
        }
      } catch (IOException e) {
        last = e;
      }
    }
    throw new Failure(attempt, last, refused);
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
