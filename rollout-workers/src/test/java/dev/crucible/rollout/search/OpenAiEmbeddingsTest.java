package dev.crucible.rollout.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.crucible.rollout.http.JsonPost;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embeddings client against a real HTTP server speaking the protocol, written here so that it can also answer
 * what a real server rarely does (items out of order, too few, vectors of zero length, errors); {@code crucible
 * serve}'s own endpoint is tested with this client in {@code ChatCompletionsServerTest}.
 */
class OpenAiEmbeddingsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final List<JsonNode> requests = new ArrayList<>();
  /** The status and body answering a request. */
  private Function<JsonNode, Object[]> answer;
  private HttpServer server;
  private EmbeddingsEndpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/embeddings", exchange -> {
      JsonNode request = MAPPER.readTree(exchange.getRequestBody());
      synchronized (requests) {
        requests.add(request);
      }
      Object[] reply = answer.apply(request);
      byte[] body = reply[1].toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders((Integer) reply[0], body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    endpoint = EmbeddingsEndpoint.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/#code-embed");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private OpenAiEmbeddings client(int retries) {
    return new OpenAiEmbeddings(endpoint, new JsonPost(JsonPost.httpClient(Duration.ofSeconds(5)), Duration.ofSeconds(5), retries,
        Duration.ofMillis(10)));
  }

  /** Embeds each input as (its length, 1), listing the items last first, as the protocol allows. */
  private static Object[] lengthsReversed(JsonNode request) {
    ObjectNode body = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    JsonNode input = request.get("input");
    for (int i = input.size() - 1; i >= 0; i--) {
      data.addObject().put("index", i).putArray("embedding").add(input.get(i).textValue().length()).add(1.0);
    }
    return new Object[] {200, body};
  }

  @Test
  void embedsInBatchesAndPlacesEachVectorByItsIndex() {
    answer = OpenAiEmbeddingsTest::lengthsReversed;
    List<String> texts = IntStream.range(0, 70).mapToObj(i -> "x".repeat(i)).toList();
    List<float[]> vectors = client(0).embed(texts);

    assertThat(vectors).hasSize(70);
    assertThat(vectors.get(5)).containsExactly(5f, 1f);
    assertThat(vectors.get(69)).containsExactly(69f, 1f);
    assertThat(vectors.get(0)).as("an empty text is sent as one space").containsExactly(1f, 1f);
    assertThat(requests).extracting(request -> request.get("input").size()).containsExactly(64, 6);
    assertThat(requests.get(0).get("model").asText()).isEqualTo("code-embed");
    assertThat(requests.get(0).get("encoding_format").asText()).isEqualTo("float");
    assertThat(endpoint.uri().toString()).as("trailing slashes go").endsWith(":" + server.getAddress().getPort() + "/v1/embeddings");
  }

  @Test
  void longTextsAreCutBeforeTheyAreSent() {
    answer = OpenAiEmbeddingsTest::lengthsReversed;
    assertThat(client(0).embed(List.of("y".repeat(OpenAiEmbeddings.MAX_CHARS + 500))).get(0)[0]).isEqualTo(OpenAiEmbeddings.MAX_CHARS);
  }

  @Test
  void serverErrorsAreRetriedThenReportedAsTheInfrastructuresFailure() {
    answer = request -> new Object[] {503, "{\"error\": \"loading\"}"};
    assertThatThrownBy(() -> client(2).embed(List.of("a")))
        .isInstanceOf(EmbeddingsUnavailableException.class)
        .isNotInstanceOf(EmbeddingsRefusedException.class)
        .hasMessage("the embeddings endpoint " + endpoint.uri() + " failed after 3 attempts: HTTP 503: {\"error\": \"loading\"}");
    assertThat(requests).hasSize(3);

    requests.clear();
    answer = request -> new Object[] {400, "{\"error\": \"unknown model\"}"};
    assertThatThrownBy(() -> client(2).embed(List.of("a"))).as("the endpoint answered: what was sent is refused")
        .isInstanceOf(EmbeddingsRefusedException.class).hasMessageContaining("failed: HTTP 400");
    assertThat(requests).as("a refused request is not retried").hasSize(1);
  }

  @Test
  void answersThatDoNotFitTheRequestAreRefused() {
    answer = request -> new Object[] {200, "{\"data\": [{\"index\": 0, \"embedding\": [1, 0]}]}"};
    assertThatThrownBy(() -> client(0).embed(List.of("a", "b"))).isInstanceOf(EmbeddingsUnavailableException.class)
        .hasMessageEndingWith("answered 1 embeddings for 2 inputs");

    answer = request -> new Object[] {200, "{\"data\": [{\"index\": 0, \"embedding\": [1, 0]}, {\"index\": 0, \"embedding\": [0, 1]}]}"};
    assertThatThrownBy(() -> client(0).embed(List.of("a", "b"))).hasMessageContaining("an item without a new index in [0, 2)");

    answer = request -> new Object[] {200, "{\"data\": [{\"index\": 0, \"embedding\": [1, 0]}, {\"index\": 1, \"embedding\": [1]}]}"};
    assertThatThrownBy(() -> client(0).embed(List.of("a", "b"))).hasMessageEndingWith("answered vectors of 2 and of 1 dimensions");

    answer = request -> new Object[] {200, "{\"data\": [{\"index\": 0, \"embedding\": [0, 0]}]}"};
    assertThatThrownBy(() -> client(0).embed(List.of("a"))).as("cosine similarity has no zero vector")
        .hasMessageEndingWith("answered a vector of length 0.0");
  }

  @Test
  void endpointsAreWrittenAsTheOpenAiPolicyNamesThem() {
    assertThat(EmbeddingsEndpoint.parse("http://h:8000/v1")).isEqualTo(new EmbeddingsEndpoint("http://h:8000/v1", "default"));
    assertThat(EmbeddingsEndpoint.parse("https://h/v1#bge")).hasToString("https://h/v1#bge");
    assertThatThrownBy(() -> EmbeddingsEndpoint.parse("h:8000/v1#bge")).hasMessageContaining("needs an http(s) base URL");
    assertThatThrownBy(() -> EmbeddingsEndpoint.parse("http://h/v1#")).hasMessageContaining("names no model");
  }
}
