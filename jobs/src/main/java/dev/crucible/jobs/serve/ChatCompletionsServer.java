package dev.crucible.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crucible.rollout.agent.ToolCallParser;
import dev.crucible.trainer.chat.ChatModel;
import dev.crucible.trainer.chat.Message;
import dev.crucible.trainer.chat.PromptContext;
import dev.crucible.trainer.generate.Generation;
import dev.crucible.trainer.generate.SamplingOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/chat/completions}, {@code POST /v1/embeddings} and {@code GET /v1/models} over a {@link ChatModel}, answering as
 * vLLM does for a Qwen model with its Hermes tool parser: a {@code <tool_call>} in the output becomes
 * {@code tool_calls}; {@code logprobs: true} returns each token's log-prob, as {@code token_id:N} when
 * the request sets {@code return_tokens_as_token_ids}; {@code return_token_ids: true} adds the exact prompt
 * ({@code prompt_token_ids}) and sampled ids ({@code choices[0].token_ids}). The log-probs are of the
 * distribution each token was drawn from (the request's temperature and top-p). An embedding is the model's
 * ({@link ChatModel#embed}): the mean of its final hidden states over the text's first tokens. Bad requests get a
 * 400 with an OpenAI error body.
 *
 * <p>More checkpoints can be served beside the first, each under its own name: {@code POST
 * /v1/load_checkpoint} with {@code {"name", "path"}} loads one, {@code POST /v1/unload_checkpoint} with
 * {@code {"name"}} frees it (requests still decoding on it fail). LoRA adapters load as vLLM's runtime
 * adapter API takes them: {@code POST /v1/load_lora_adapter} with {@code {"lora_name", "lora_path"}} applies a
 * PEFT adapter to the model the server started with (merged into a copy of its weights: the engine has
 * no per-request adapter kernels), {@code POST /v1/unload_lora_adapter} with {@code {"lora_name"}} frees it,
 * and both answer in plain text, as vLLM does. A request names its model or adapter in {@code model}
 * (the first one's when it names none; an unknown name gets a 404, as from vLLM), and the answer carries
 * the name it was served by. An RL trainer publishes each policy version this way.
 */
public final class ChatCompletionsServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int DEFAULT_MAX_TOKENS = 512;

  private final String defaultName;
  /** The checkpoints served, by name; the first one's is {@code defaultName} and belongs to the caller. */
  private final Map<String, ChatModel> models = new ConcurrentHashMap<>();
  /** The LoRA adapters served, each by the name of the model it applies to. */
  private final Map<String, String> parents = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService workers;
  private final AtomicLong requests = new AtomicLong();

  /**
   * @param host the address to bind, for example 127.0.0.1 or 0.0.0.0
   * @param port the port, or 0 for any free one
   */
  public ChatCompletionsServer(ChatModel model, String modelName, String host, int port) {
    this.defaultName = modelName;
    models.put(modelName, model);
    try {
      this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    // More threads than the engine has rows, so a full batch forms and further requests queue in the engine.
    this.workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    server.createContext("/v1/chat/completions", exchange -> handle(exchange, "POST", this::complete));
    server.createContext("/v1/models", exchange -> handle(exchange, "GET", body -> models()));
    server.createContext("/v1/embeddings", exchange -> handle(exchange, "POST", this::embeddings));
    server.createContext("/v1/load_checkpoint", exchange -> handle(exchange, "POST", this::loadCheckpoint));
    server.createContext("/v1/unload_checkpoint", exchange -> handle(exchange, "POST", this::unloadCheckpoint));
    server.createContext("/v1/load_lora_adapter", exchange -> handle(exchange, "POST", this::loadAdapter));
    server.createContext("/v1/unload_lora_adapter", exchange -> handle(exchange, "POST", this::unloadAdapter));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** An endpoint: a JSON answer, or plain text (a {@link TextNode}) where vLLM answers with text. */
  private interface Handler {
    JsonNode answer(JsonNode body);
  }

  private void handle(HttpExchange exchange, String method, Handler handler) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals(method)) {
        send(exchange, 405, error("use " + method + " on " + exchange.getRequestURI().getPath()));
        return;
      }
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readAllBytes();
        body = bytes.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(bytes);
      } catch (IOException e) {
        send(exchange, 400, error("the body is not valid JSON: " + e.getMessage()));
        return;
      }
      try {
        send(exchange, 200, handler.answer(body));
      } catch (UnknownModelException e) {
        send(exchange, 404, error(e.getMessage()));
      } catch (IllegalArgumentException e) {
        send(exchange, 400, error(e.getMessage()));
      } catch (RuntimeException e) {
        send(exchange, 500, error("the model failed: " + e));
      }
    }
  }

  private ObjectNode models() {
    ObjectNode answer = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = answer.putArray("data");
    models.keySet().stream().sorted().forEach(name -> data.addObject().put("id", name).put("object", "model").put("owned_by", "crucible")
        .put("parent", parents.get(name)));
    return answer;
  }

  private ObjectNode loadCheckpoint(JsonNode body) {
    String name = requiredText(body, "name");
    Path path = Path.of(requiredText(body, "path"));
    register(name, () -> ChatModel.load(path), "a model named '" + name + "' is already served; unload it first");
    return MAPPER.createObjectNode().put("id", name).put("object", "model").put("owned_by", "crucible");
  }

  /** As vLLM's runtime adapter API: the adapter applies to the model the server started with. */
  private JsonNode loadAdapter(JsonNode body) {
    String name = requiredText(body, "lora_name");
    Path path = Path.of(requiredText(body, "lora_path"));
    Path base = models.get(defaultName).checkpoint();
    register(name, () -> ChatModel.withAdapter(base, path), "The lora adapter '" + name + "' has already been loaded.");
    parents.put(name, defaultName);
    return TextNode.valueOf("Success: LoRA adapter '" + name + "' added successfully.");
  }

  private void register(String name, java.util.function.Supplier<ChatModel> loader, String duplicate) {
    synchronized (models) { // One load at a time: two of one name must not both load.
      if (models.containsKey(name)) {
        throw new IllegalArgumentException(duplicate);
      }
      try {
        models.put(name, loader.get());
      } catch (dev.crucible.data.InvalidInputException e) {
        throw new IllegalArgumentException("cannot load '" + name + "': " + e.getMessage(), e);
      }
    }
  }

  private ObjectNode unloadCheckpoint(JsonNode body) {
    String name = requiredText(body, "name");
    if (parents.containsKey(name)) {
      throw new IllegalArgumentException("'" + name + "' is a LoRA adapter; unload it through /v1/unload_lora_adapter");
    }
    unload(name);
    return MAPPER.createObjectNode().put("id", name).put("object", "model").put("deleted", true);
  }

  private JsonNode unloadAdapter(JsonNode body) {
    String name = requiredText(body, "lora_name");
    if (!parents.containsKey(name)) {
      throw new UnknownModelException("The lora adapter '" + name + "' cannot be found.");
    }
    unload(name);
    parents.remove(name);
    return TextNode.valueOf("Success: LoRA adapter '" + name + "' removed successfully.");
  }

  private void unload(String name) {
    if (name.equals(defaultName)) {
      throw new IllegalArgumentException("'" + name + "' is the model the server started with; it stays");
    }
    ChatModel removed = models.remove(name);
    if (removed == null) {
      throw new UnknownModelException("The model `" + name + "` does not exist.");
    }
    removed.close();
  }

  private static String requiredText(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isTextual() || value.textValue().isBlank()) {
      throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
    }
    return value.textValue();
  }

  /** A request named a model the server does not serve: a 404, as vLLM answers it. */
  private static final class UnknownModelException extends RuntimeException {
    UnknownModelException(String message) {
      super(message);
    }
  }

  /** The model a request names in {@code model}, or the first one's. */
  private ChatModel model(String modelName) {
    ChatModel model = models.get(modelName);
    if (model == null) {
      throw new UnknownModelException("The model `" + modelName + "` does not exist.");
    }
    return model;
  }

  private static String modelName(JsonNode body, String defaultName) {
    return body.path("model").isTextual() ? body.get("model").textValue() : defaultName;
  }

  /** As OpenAI's embeddings API: {@code input} one string or a list of them, answered in order with their index. */
  private ObjectNode embeddings(JsonNode body) {
    String modelName = modelName(body, defaultName);
    ChatModel model = model(modelName);
    String format = body.path("encoding_format").asText("float");
    if (!format.equals("float")) {
      throw new IllegalArgumentException("'encoding_format' must be float; this server does not answer " + format);
    }
    JsonNode input = body.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.textValue());
    } else if (input.isArray() && !input.isEmpty() && java.util.stream.StreamSupport.stream(input.spliterator(), false).allMatch(JsonNode::isTextual)) {
      input.forEach(text -> texts.add(text.textValue()));
    } else {
      throw new IllegalArgumentException("'input' must be a string or a non-empty list of strings");
    }
    ObjectNode answer = MAPPER.createObjectNode().put("object", "list").put("model", modelName);
    ArrayNode data = answer.putArray("data");
    for (int i = 0; i < texts.size(); i++) {
      ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
      for (float x : model.embed(texts.get(i))) {
        vector.add(x);
      }
    }
    return answer;
  }

  private ObjectNode complete(JsonNode body) {
    String modelName = modelName(body, defaultName);
    ChatModel model = model(modelName);
    List<Message> messages = messages(body.path("messages"));
    ArrayNode tools = body.path("tools").isArray() ? (ArrayNode) body.get("tools") : MAPPER.createArrayNode();
    SamplingOptions options = new SamplingOptions(
        body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt(DEFAULT_MAX_TOKENS)),
        body.path("temperature").asDouble(1.0),
        body.path("top_p").asDouble(1.0),
        body.path("seed").isIntegralNumber() ? body.get("seed").asLong() : ThreadLocalRandom.current().nextLong(), // None: a fresh one.
        stops(body.path("stop")));
    ChatModel.Reply reply = model.reply(messages, tools, options, new PromptContext());
    Generation generation = reply.generation();
    long id = requests.incrementAndGet();
    ObjectNode answer = MAPPER.createObjectNode();
    answer.put("id", "chatcmpl-" + id).put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000)
        .put("model", modelName);
    ObjectNode choice = answer.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    String text = generation.text();
    ToolCallParser.Parsed call = ToolCallParser.parse(text);
    int at = text.indexOf("<tool_call>");
    if (call.error() == null && at >= 0) {
      String before = text.substring(0, at).strip();
      message.put("content", before.isEmpty() ? null : before);
      ObjectNode function = message.putArray("tool_calls").addObject().put("id", "call_" + id).put("type", "function").putObject("function");
      function.put("name", call.tool()).put("arguments", call.argumentsJson());
      choice.put("finish_reason", "tool_calls");
    } else {
      message.put("content", text);
      choice.put("finish_reason", generation.finishReason());
    }
    if (body.path("logprobs").asBoolean(false)) {
      boolean asIds = body.path("return_tokens_as_token_ids").asBoolean(false);
      ArrayNode content = choice.putObject("logprobs").putArray("content");
      for (int i = 0; i < generation.tokenIds().size(); i++) {
        int token = generation.tokenIds().get(i);
        content.addObject().put("token", asIds ? "token_id:" + token : model.tokenText(token))
            .put("logprob", generation.logprobs().get(i)).putArray("top_logprobs");
      }
    }
    if (body.path("return_token_ids").asBoolean(false)) { // As vLLM answers it: the exact prompt and sampled ids.
      ArrayNode promptIds = answer.putArray("prompt_token_ids");
      Arrays.stream(reply.prompt().ids()).forEach(promptIds::add);
      ArrayNode sampledIds = choice.putArray("token_ids");
      generation.tokenIds().forEach(sampledIds::add);
    }
    int prompt = generation.promptTokens();
    answer.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", generation.tokenIds().size())
        .put("total_tokens", prompt + generation.tokenIds().size());
    return answer;
  }

  private static List<Message> messages(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      throw new IllegalArgumentException("'messages' must be a non-empty array");
    }
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode entry = array.get(i);
      String role = entry.path("role").asText("");
      if (!List.of("system", "user", "assistant", "tool").contains(role)) {
        throw new IllegalArgumentException("messages[" + i + "].role must be system, user, assistant or tool, not '" + role + "'");
      }
      String content = text(entry.path("content"));
      JsonNode function = entry.path("tool_calls").path(0).path("function");
      if (role.equals("assistant") && function.hasNonNull("name")) {
        JsonNode arguments = function.path("arguments");
        messages.add(new Message(role, content, function.get("name").asText(), arguments.isTextual() ? arguments.textValue() : arguments.toString()));
      } else {
        messages.add(new Message(role, content, role.equals("tool") ? entry.path("name").asText(null) : null, null));
      }
    }
    return messages;
  }

  /** Message content: a string, or the text parts of a list of parts. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.textValue();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText().equals("text")) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  private static List<String> stops(JsonNode stop) {
    if (stop.isTextual()) {
      return List.of(stop.textValue());
    }
    List<String> stops = new ArrayList<>();
    stop.forEach(s -> stops.add(s.asText()));
    return stops;
  }

  private static ObjectNode error(String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error").put("message", message).put("type", "invalid_request_error");
    return body;
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = body.isTextual() ? body.textValue().getBytes(StandardCharsets.UTF_8) : MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", body.isTextual() ? "text/plain; charset=utf-8" : "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops serving and frees the checkpoints it loaded (not the one it started with: the caller's). */
  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    models.forEach((name, model) -> {
      if (!name.equals(defaultName)) {
        model.close();
      }
    });
  }
}
