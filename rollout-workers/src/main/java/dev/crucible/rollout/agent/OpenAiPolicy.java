package dev.crucible.rollout.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.Turn;
import dev.crucible.rollout.http.JsonPost;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy behind any OpenAI-compatible chat-completions endpoint with tool calling: vLLM, SGLang, or
 * the model server a later issue adds. Tool calls come from the response's {@code tool_calls}, or
 * from {@code <tool_call>} text in its content. Per-token log-probs are kept when the server returns
 * them with token ids ({@code token_id:N} tokens, as vLLM's {@code return_tokens_as_token_ids} gives).
 * Requests sample the whole distribution (temperature 1, top-p 1), so the log-probs a server reports for
 * the model are those of the distribution the tokens were drawn from; with {@code return_token_ids} (vLLM,
 * {@code crucible serve}) each turn records its exact prompt ids, stored as a continuation of the previous
 * turn's context where the server's prompt extends it.
 * Connection failures and server errors are retried with exponential backoff; after that, or for a
 * request the server rejects, a {@link PolicyUnavailableException} says what happened.
 */
public final class OpenAiPolicy implements Policy {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The whole distribution, so the reported log-probs are of what the tokens were drawn from. */
  private static final double TEMPERATURE = 1.0;
  private static final double TOP_P = 1.0;

  private final String baseUrl;
  private final URI endpoint;
  private final String model;
  private final JsonPost requests;
  private final long seed;
  private int turn;
  /** The previous turn's prompt and sampled ids, as the server reported them. */
  private List<Integer> context = List.of();

  /**
   * One episode's policy: it holds the episode's token context, so each episode needs its own.
   *
   * @param client shared by the episodes of a JVM ({@link JsonPost#httpClient})
   * @param baseUrl for example {@code http://127.0.0.1:8000/v1}
   * @param model the served model's name
   * @param seed the episode's; each request asks for {@code seed * 1009 + turn}, so samples of one task differ
   *     and a rerun asks for the same
   * @param timeout longest one request may take
   * @param maxRetries retries after a failed request
   * @param backoff wait before the first retry; doubled each time
   */
  public OpenAiPolicy(HttpClient client, String baseUrl, String model, long seed, Duration timeout, int maxRetries, Duration backoff) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.endpoint = URI.create(this.baseUrl + "/chat/completions");
    this.model = model;
    this.seed = seed;
    this.requests = new JsonPost(client, timeout, maxRetries, backoff);
  }

  @Override
  public String version() {
    return version(baseUrl, model);
  }

  /** The version of the policies that ask {@code model} at {@code baseUrl}: the policy name, trailing slashes gone. */
  public static String version(String baseUrl, String model) {
    return "openai:" + baseUrl.replaceAll("/+$", "") + "#" + model;
  }

  @Override
  public PolicyResponse next(List<ChatMessage> messages, ArrayNode tools) {
    JsonNode response = post(request(messages, tools));
    String servedBy = response.path("model").asText(model);
    if (!servedBy.equals(model)) { // A server that swapped versions must not pass one policy's tokens off as another's.
      throw new PolicyUnavailableException("asked " + baseUrl + " for model '" + model + "' but '" + servedBy + "' answered", null);
    }
    JsonNode choice = response.path("choices").path(0);
    JsonNode message = choice.path("message");
    String content = message.path("content").asText("");
    List<Integer> tokenIds = new ArrayList<>();
    List<Float> logprobs = new ArrayList<>();
    for (JsonNode token : choice.path("logprobs").path("content")) {
      String text = token.path("token").asText("");
      if (!text.startsWith("token_id:")) {
        tokenIds.clear();
        logprobs.clear();
        break;
      }
      tokenIds.add(Integer.parseInt(text.substring("token_id:".length())));
      logprobs.add((float) token.path("logprob").asDouble());
    }
    if (choice.path("token_ids").isArray()) {
      tokenIds.clear();
      choice.path("token_ids").forEach(id -> tokenIds.add(id.asInt()));
    }
    Turn.Sampling sampling = sampling(response.path("prompt_token_ids"), tokenIds, logprobs, choice, tools);
    JsonNode call = message.path("tool_calls").path(0).path("function");
    if (!call.isMissingNode() && call.hasNonNull("name")) {
      JsonNode arguments = call.path("arguments");
      return new PolicyResponse(content, call.get("name").asText(), arguments.isTextual() ? arguments.textValue() : arguments.toString(),
          null, tokenIds, logprobs, sampling);
    }
    ToolCallParser.Parsed parsed = ToolCallParser.parse(content);
    return new PolicyResponse(content, parsed.tool(), parsed.argumentsJson(), parsed.error(), tokenIds, logprobs, sampling);
  }

  /**
   * The turn's sampling context from the server's exact prompt ids, or {@code null} when it gives none (or no
   * log-probs for every sampled id): such a turn cannot be trained on token for token.
   */
  private Turn.Sampling sampling(JsonNode promptIds, List<Integer> sampled, List<Float> logprobs, JsonNode choice, ArrayNode tools) {
    if (!promptIds.isArray() || promptIds.isEmpty() || sampled.isEmpty() || logprobs.size() != sampled.size()) {
      context = List.of();
      return null;
    }
    List<Integer> prompt = new ArrayList<>(promptIds.size());
    promptIds.forEach(id -> prompt.add(id.asInt()));
    boolean extendsPrevious = !context.isEmpty() && prompt.size() > context.size() && prompt.subList(0, context.size()).equals(context);
    List<Integer> added = extendsPrevious ? prompt.subList(context.size(), prompt.size()) : prompt;
    List<Integer> next = new ArrayList<>(prompt);
    next.addAll(sampled);
    context = next;
    return new Turn.Sampling(added, extendsPrevious, "length".equals(choice.path("finish_reason").asText()), TEMPERATURE, TOP_P,
        tools.toString());
  }

  private ObjectNode request(List<ChatMessage> messages, ArrayNode tools) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", model);
    ArrayNode wire = body.putArray("messages");
    int call = 0;
    for (ChatMessage message : messages) {
      ObjectNode entry = wire.addObject().put("role", message.role()).put("content", message.content());
      if (message.role().equals("assistant") && message.toolName() != null) {
        ObjectNode function = entry.putArray("tool_calls").addObject().put("id", "call_" + (++call)).put("type", "function")
            .putObject("function");
        function.put("name", message.toolName());
        function.put("arguments", message.toolArguments() == null ? "{}" : message.toolArguments());
      } else if (message.role().equals("tool")) {
        entry.put("tool_call_id", "call_" + call);
      }
    }
    body.set("tools", tools);
    body.put("temperature", TEMPERATURE);
    body.put("top_p", TOP_P);
    body.put("seed", seed * 1009 + turn++);
    body.put("logprobs", true);
    body.put("return_tokens_as_token_ids", true);
    body.put("return_token_ids", true);
    return body;
  }

  private JsonNode post(ObjectNode body) {
    try {
      return requests.send(endpoint, body);
    } catch (JsonPost.Failure e) {
      throw new PolicyUnavailableException(e.describe("the policy endpoint " + endpoint), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PolicyUnavailableException("interrupted while asking " + endpoint, e);
    }
  }
}
