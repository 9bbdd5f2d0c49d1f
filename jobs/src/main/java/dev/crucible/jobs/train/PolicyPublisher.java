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
 * Publishes policy versions to an OpenAI-compatible server: each version is served under its own name,
 * which the rollout's requests name, so an episode can only be sampled by the version it records. The
 * policy's directory must be readable by the server (the same machine, or a shared file system).
 */
final class PolicyPublisher {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private final String baseUrl;
  private final Weights weights;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  /** What a policy version is, and so how the server takes it. */
  enum Weights {
    /** A whole checkpoint, through {@code crucible serve}'s {@code /v1/load_checkpoint} and {@code /v1/unload_checkpoint}. */
    CHECKPOINT("/load_checkpoint", "/unload_checkpoint", "name", "path"),
    /**
     * A LoRA adapter on the model the server started with, through vLLM's runtime adapter API ({@code
     * /v1/load_lora_adapter}, {@code /v1/unload_lora_adapter}; vLLM needs {@code --enable-lora} and
     * {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}), which {@code crucible serve} implements too.
     */
    LORA_ADAPTER("/load_lora_adapter", "/unload_lora_adapter", "lora_name", "lora_path");

    private final String load;
    private final String unload;
    private final String nameField;
    private final String pathField;

    Weights(String load, String unload, String nameField, String pathField) {
      this.load = load;
      this.unload = unload;
      this.nameField = nameField;
      this.pathField = pathField;
    }
  }

  /** @param baseUrl the server's base URL, ending in {@code /v1} */
  PolicyPublisher(String baseUrl, Weights weights) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.weights = weights;
  }

  /** The policy name of {@code version} of {@code runId}. */
  static String name(String runId, int version) {
    return String.format("%s-policy-%06d", runId, version);
  }

  /** The names the server serves now. */
  Set<String> served() {
    JsonNode answer;
    try {
      answer = MAPPER.readTree(call("GET", "/models", null));
    } catch (IOException e) {
      throw new IllegalStateException(baseUrl + "/models answered something other than JSON: " + e.getMessage(), e);
    }
    Set<String> names = new HashSet<>();
    answer.path("data").forEach(model -> names.add(model.path("id").asText()));
    return names;
  }

  /** Serves the policy in {@code dir} as {@code name}, unless the server does already (a resumed run). */
  void publish(String name, Path dir) {
    if (!served().contains(name)) {
      call("POST", weights.load, MAPPER.createObjectNode().put(weights.nameField, name).put(weights.pathField, dir.toAbsolutePath().toString()));
    }
  }

  /** Stops serving {@code name}, if the server does. */
  void withdraw(String name) {
    if (served().contains(name)) {
      call("POST", weights.unload, MAPPER.createObjectNode().put(weights.nameField, name));
    }
  }

  /** The answer's body: JSON, or vLLM's plain text for adapters. */
  private String call(String method, String path, JsonNode body) {
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
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the policy server at " + baseUrl + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + baseUrl + path, e);
    }
  }
}
