package dev.crucible.jobs.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Publishes policy versions to an OpenAI-compatible server ({@code crucible serve}) through its
 * {@code /v1/load_checkpoint} and {@code /v1/unload_checkpoint}: each version is served under its own
 * name, which the rollout's requests name, so an episode can only be sampled by the version it records.
 * The checkpoint's path must be readable by the server (the same machine, or a shared file system).
 */
final class PolicyPublisher {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private final String baseUrl;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  /** @param baseUrl the server's base URL, ending in {@code /v1} */
  PolicyPublisher(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The policy name of {@code version} of {@code runId}. */
  static String name(String runId, int version) {
    return String.format("%s-policy-%06d", runId, version);
  }

  /** The names the server serves now. */
  Set<String> served() {
    JsonNode answer = call("GET", "/models", null);
    Set<String> names = new HashSet<>();
    answer.path("data").forEach(model -> names.add(model.path("id").asText()));
    return names;
  }

  /** Serves {@code checkpoint} as {@code name}, unless the server does already (a resumed run). */
  void publish(String name, Path checkpoint) {
    if (!served().contains(name)) {
      call("POST", "/load_checkpoint", MAPPER.createObjectNode().put("name", name).put("path", checkpoint.toAbsolutePath().toString()));
    }
  }

  /** Stops serving {@code name}, if the server does. */
  void withdraw(String name) {
    if (served().contains(name)) {
      call("POST", "/unload_checkpoint", MAPPER.createObjectNode().put("name", name));
    }
  }

  private JsonNode call(String method, String path, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(method + " " + baseUrl + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the policy server at " + baseUrl + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + baseUrl + path, e);
    }
  }
}
