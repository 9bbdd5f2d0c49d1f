package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpServer;
import dev.crucible.rollout.http.JsonPost;
import dev.crucible.rollout.tools.ToolBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible client against a real HTTP server speaking the chat-completions protocol. The
 * server is written in this test because no model server exists yet (a later issue adds
 * {@code crucible serve}); it answers from a queue of canned responses and keeps the requests.
 */
class OpenAiPolicyTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Deque<String[]> answers = new ArrayDeque<>();
  private final List<JsonNode> requests = new ArrayList<>();
  private HttpServer server;
  private String baseUrl;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          synchronized (requests) {
            requests.add(MAPPER.readTree(exchange.getRequestBody()));
          }
          String[] answer = answers.isEmpty() ? new String[] {"500", "{\"error\": \"no answer queued\"}"} : answers.poll();
          byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private OpenAiPolicy policy(int retries) {
    return new OpenAiPolicy(JsonPost.httpClient(Duration.ofSeconds(5)), baseUrl, "tiny", 0, Duration.ofSeconds(5), retries,
        Duration.ofMillis(10));
  }

  private static ArrayNode tools() {
    return ToolBox.standard(new SimpleMeterRegistry()).schemas();
  }

  @Test
  void readsAToolCallWithTokenIdsAndLogprobs() {
    answers.add(new String[] {"200", """
        {"choices": [{"message": {"role": "assistant", "content": "Looking.",
          "tool_calls": [{"id": "x", "type": "function", "function": {"name": "view_file", "arguments": "{\\"path\\": \\"a.py\\"}"}}]},
          "logprobs": {"content": [{"token": "token_id:17", "logprob": -0.5}, {"token": "token_id:4", "logprob": -1.25}]}}]}
        """});
    List<ChatMessage> conversation =
        List.of(
            ChatMessage.system("sys"), ChatMessage.user("fix it"),
            new ChatMessage("assistant", "first", "view_directory", "{}"), ChatMessage.tool("view_directory", "a.py"));
    PolicyResponse response = policy(0).next(conversation, tools());

    assertThat(response.toolName()).isEqualTo("view_file");
    assertThat(response.toolArguments()).isEqualTo("{\"path\": \"a.py\"}");
    assertThat(response.tokenIds()).containsExactly(17, 4);
    assertThat(response.logprobs()).containsExactly(-0.5f, -1.25f);
    JsonNode sent = requests.get(0);
    assertThat(sent.get("model").asText()).isEqualTo("tiny");
    assertThat(sent.get("tools")).hasSize(ToolBox.standard(new SimpleMeterRegistry()).names().size());
    assertThat(sent.at("/messages/2/tool_calls/0/function/name").asText()).isEqualTo("view_directory");
    assertThat(sent.at("/messages/3/tool_call_id").asText()).isEqualTo(sent.at("/messages/2/tool_calls/0/id").asText());
  }

  @Test
  void readsAQwenStyleCallFromTheContentAndReportsAMalformedOne() {
    answers.add(new String[] {"200", """
        {"choices": [{"message": {"role": "assistant", "content": "<tool_call>{\\"name\\": \\"submit\\", \\"arguments\\": {}}</tool_call>"}}]}
        """});
    answers.add(new String[] {"200", """
        {"choices": [{"message": {"role": "assistant", "content": "<tool_call>{oops}</tool_call>"}}]}
        """});
    PolicyResponse good = policy(0).next(List.of(ChatMessage.user("go")), tools());
    assertThat(good.toolName()).isEqualTo("submit");
    assertThat(good.tokenIds()).isEmpty();
    PolicyResponse bad = policy(0).next(List.of(ChatMessage.user("go")), tools());
    assertThat(bad.toolName()).isNull();
    assertThat(bad.callError()).startsWith("the tool call is not valid JSON");
  }

  @Test
  void retriesServerErrorsWithBackoff() {
    answers.add(new String[] {"503", "{\"error\": \"loading\"}"});
    answers.add(new String[] {"500", "{\"error\": \"busy\"}"});
    answers.add(new String[] {"200", "{\"choices\": [{\"message\": {\"content\": \"<tool_call>{\\\"name\\\": \\\"submit\\\"}</tool_call>\"}}]}"});
    assertThat(policy(3).next(List.of(ChatMessage.user("go")), tools()).toolName()).isEqualTo("submit");
    assertThat(requests).hasSize(3);
  }

  @Test
  void aRejectedRequestIsNotRetried() {
    answers.add(new String[] {"400", "{\"error\": \"unknown model\"}"});
    assertThatThrownBy(() -> policy(3).next(List.of(ChatMessage.user("go")), tools()))
        .isInstanceOf(PolicyUnavailableException.class)
        .hasMessageContaining("HTTP 400: {\"error\": \"unknown model\"}");
    assertThat(requests).hasSize(1);
  }

  @Test
  void anUnreachableEndpointIsAClearError() {
    server.stop(0);
    assertThatThrownBy(() -> policy(1).next(List.of(ChatMessage.user("go")), tools()))
        .isInstanceOf(PolicyUnavailableException.class)
        .hasMessageStartingWith("the policy endpoint " + baseUrl + "/chat/completions failed after 2 attempts: ");
  }
}
