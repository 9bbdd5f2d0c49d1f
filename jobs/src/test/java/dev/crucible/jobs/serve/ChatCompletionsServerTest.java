package dev.crucible.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.ModeChooser;
import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.rollout.agent.ChatMessage;
import dev.crucible.rollout.agent.OpenAiPolicy;
import dev.crucible.rollout.agent.PolicyResponse;
import dev.crucible.rollout.http.JsonPost;
import dev.crucible.rollout.search.CodeIndex;
import dev.crucible.rollout.search.CodeUnit;
import dev.crucible.rollout.search.EmbeddingsEndpoint;
import dev.crucible.rollout.search.OpenAiEmbeddings;
import dev.crucible.rollout.search.UnitKind;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.trainer.chat.ChatModel;
import dev.crucible.trainer.generate.GenerationEngine;
import dev.crucible.trainer.lora.LoraAdapters;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.Packer;
import dev.crucible.trainer.train.TokenSequences;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A real HTTP server over an untrained checkpoint, called by the JDK's HTTP client and by our OpenAI policy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatCompletionsServerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir static Path temp;
  private ChatModel model;
  private ChatCompletionsServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    Path checkpoint = temp.resolve("tiny");
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      Qwen2Config config = new Qwen2Config(tokenizer.vocabularySize(), 32, 64, 1, 2, 1, 4096, 1e-6, 10000, true, 0, 0);
      Qwen2Model.random(config, 1, manager).save(checkpoint, Long.MAX_VALUE);
      tokenizer.save(checkpoint);
    }
    model = ChatModel.load(checkpoint);
    server = new ChatCompletionsServer(model, "tiny", "127.0.0.1", 0);
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String GREEDY_REQUEST = """
      {"model": "tiny", "messages": [{"role": "system", "content": "You fix bugs."}, {"role": "user", "content": "Fix add."}],
       "max_tokens": 7, "temperature": 0, "logprobs": true, "return_tokens_as_token_ids": true}
      """;

  @Test
  void answersAChatCompletionWithTokenIdsAndLogprobs() throws Exception {
    HttpResponse<String> response = post(GREEDY_REQUEST);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = MAPPER.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("tiny");
    JsonNode choice = body.path("choices").path(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    JsonNode tokens = choice.path("logprobs").path("content");
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(tokens.size()).isBetween(1, 7);
    assertThat(tokens.get(0).path("token").asText()).matches("token_id:\\d+");
    assertThat(tokens.get(0).path("logprob").asDouble()).isNegative();
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
    // Greedy decoding: the same request gets the same answer.
    assertThat(MAPPER.readTree(post(GREEDY_REQUEST).body()).path("choices").path(0).path("logprobs")).isEqualTo(choice.path("logprobs"));
  }

  @Test
  void concurrentRequestsAreDecodedTogetherAndAnsweredAsEachWouldBeAlone() throws Exception {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add("""
          {"model": "tiny", "messages": [{"role": "user", "content": "Fix bug number %d."}],
           "max_tokens": %d, "temperature": 1, "seed": %d, "return_token_ids": true}
          """.formatted(i, 12 + 3 * i, i));
    }
    List<JsonNode> alone = new ArrayList<>();
    for (String request : requests) {
      alone.add(MAPPER.readTree(post(request).body()).path("choices").path(0).path("token_ids"));
    }
    GenerationEngine.Counters before = model.engineCounters();
    List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
    for (String request : requests) {
      together.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < requests.size(); i++) {
      JsonNode tokens = MAPPER.readTree(together.get(i).get().body()).path("choices").path(0).path("token_ids");
      assertThat(tokens.size()).isPositive();
      assertThat(tokens).as("request %d", i).isEqualTo(alone.get(i));
    }
    GenerationEngine.Counters after = model.engineCounters();
    assertThat((double) (after.sequenceSteps() - before.sequenceSteps()) / (after.steps() - before.steps()))
        .as("requests per decoding step").isGreaterThan(1.5);
  }

  @Test
  void checkpointsLoadedUnderANameServeTheRequestsThatNameThemUntilUnloaded() throws Exception {
    Path other = temp.resolve("other");
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      Qwen2Config config = new Qwen2Config(tokenizer.vocabularySize(), 32, 64, 1, 2, 1, 4096, 1e-6, 10000, true, 0, 0);
      Qwen2Model.random(config, 2, manager).save(other, Long.MAX_VALUE); // Other weights: other answers.
      tokenizer.save(other);
    }
    String named = GREEDY_REQUEST.replace("\"model\": \"tiny\"", "\"model\": \"policy-7\"");
    assertThat(post(named).statusCode()).as("not loaded yet").isEqualTo(404);
    assertThat(MAPPER.readTree(post(named).body()).path("error").path("message").asText()).isEqualTo("The model `policy-7` does not exist.");

    HttpResponse<String> loaded = call("/v1/load_checkpoint", "{\"name\": \"policy-7\", \"path\": \"" + other + "\"}");
    assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
    assertThat(call("/v1/load_checkpoint", "{\"name\": \"policy-7\", \"path\": \"" + other + "\"}").body()).contains("already served");
    assertThat(call("/v1/load_checkpoint", "{\"name\": \"policy-8\", \"path\": \"" + temp.resolve("missing") + "\"}").statusCode())
        .isEqualTo(400);
    JsonNode models = MAPPER.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/models")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(models.path("data").findValuesAsText("id")).containsExactly("policy-7", "tiny");

    JsonNode answer = MAPPER.readTree(post(named).body());
    assertThat(answer.path("model").asText()).isEqualTo("policy-7");
    JsonNode base = MAPPER.readTree(post(GREEDY_REQUEST).body());
    assertThat(base.path("model").asText()).isEqualTo("tiny");
    assertThat(answer.path("choices").path(0).path("logprobs")).as("another checkpoint answered")
        .isNotEqualTo(base.path("choices").path(0).path("logprobs"));

    assertThat(call("/v1/unload_checkpoint", "{\"name\": \"tiny\"}").statusCode()).as("the first model stays").isEqualTo(400);
    assertThat(call("/v1/unload_checkpoint", "{\"name\": \"policy-7\"}").statusCode()).isEqualTo(200);
    assertThat(post(named).statusCode()).isEqualTo(404);
    assertThat(call("/v1/unload_checkpoint", "{\"name\": \"policy-7\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void loraAdaptersLoadAsVllmsRuntimeAdapterApiTakesThemOnTheServersModel() throws Exception {
    Path adapter = temp.resolve("adapter");
    try (NDManager manager = NDManager.newBaseManager(); Qwen2Model base = Qwen2Model.load(temp.resolve("tiny"), manager);
        LoraAdapters adapters = new LoraAdapters(base, 2, 4.0, List.of("q_proj", "v_proj"), 3)) {
      adapters.parameters().values().forEach(array -> array.set(manager.randomNormal(array.getShape()).toFloatArray())); // B not 0: other answers.
      adapters.save(adapter, "Qwen/Qwen2.5-Coder-0.5B-Instruct"); // A hub name, as adapters often carry: the server's model is the base.
    }
    String named = GREEDY_REQUEST.replace("\"model\": \"tiny\"", "\"model\": \"policy-9\"");
    HttpResponse<String> loaded = call("/v1/load_lora_adapter", "{\"lora_name\": \"policy-9\", \"lora_path\": \"" + adapter + "\"}");
    assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
    assertThat(loaded.body()).as("plain text, as vLLM answers").isEqualTo("Success: LoRA adapter 'policy-9' added successfully.");
    assertThat(call("/v1/load_lora_adapter", "{\"lora_name\": \"policy-9\", \"lora_path\": \"" + adapter + "\"}").body())
        .contains("has already been loaded");
    assertThat(call("/v1/load_lora_adapter", "{\"lora_name\": \"policy-10\", \"lora_path\": \"" + temp.resolve("tiny") + "\"}").body())
        .as("a whole checkpoint is no adapter").contains("not a LoRA adapter");
    JsonNode models = MAPPER.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/models")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    JsonNode entry = null;
    for (JsonNode model : models.path("data")) {
      entry = model.path("id").asText().equals("policy-9") ? model : entry;
    }
    assertThat(entry).isNotNull();
    assertThat(entry.path("parent").asText()).isEqualTo("tiny");

    JsonNode answer = MAPPER.readTree(post(named).body());
    assertThat(answer.path("model").asText()).isEqualTo("policy-9");
    assertThat(answer.path("choices").path(0).path("logprobs")).as("the adapter changed the answer")
        .isNotEqualTo(MAPPER.readTree(post(GREEDY_REQUEST).body()).path("choices").path(0).path("logprobs"));

    assertThat(call("/v1/unload_checkpoint", "{\"name\": \"policy-9\"}").statusCode()).as("an adapter unloads as an adapter").isEqualTo(400);
    HttpResponse<String> unloaded = call("/v1/unload_lora_adapter", "{\"lora_name\": \"policy-9\"}");
    assertThat(unloaded.body()).isEqualTo("Success: LoRA adapter 'policy-9' removed successfully.");
    assertThat(post(named).statusCode()).isEqualTo(404);
    assertThat(call("/v1/unload_lora_adapter", "{\"lora_name\": \"policy-9\"}").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> call(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theOpenAiPolicyRunsAgainstItAsAgainstVllm() {
    OpenAiPolicy policy = new OpenAiPolicy(JsonPost.httpClient(Duration.ofMinutes(1)), "http://127.0.0.1:" + server.port() + "/v1", "tiny", 0,
        Duration.ofMinutes(1), 0, Duration.ofMillis(10));
    PolicyResponse response = policy.next(
        List.of(ChatMessage.system("You fix bugs."), ChatMessage.user("The function add returns the wrong value."),
            new ChatMessage("assistant", "Let me look.", "view_file", "{\"path\": \"a.py\"}"), ChatMessage.tool("view_file", "def add(a, b):\n    return a - b\n")),
        ToolBox.standard(new SimpleMeterRegistry()).schemas());
    assertThat(response.tokenIds()).isNotEmpty();
    assertThat(response.logprobs()).hasSameSizeAs(response.tokenIds());
    // An untrained model writes no well-formed call; the policy says so rather than inventing one.
    assertThat(response.toolName()).isNull();
    assertThat(response.callError()).isNotBlank();
  }

  @Test
  void anEpisodeThroughTheOpenAiPolicyTrainsOnExactlyTheTokensTheServerSampled() {
    OpenAiPolicy policy = new OpenAiPolicy(JsonPost.httpClient(Duration.ofMinutes(1)), "http://127.0.0.1:" + server.port() + "/v1", "tiny", 0,
        Duration.ofMinutes(1), 0, Duration.ofMillis(10));
    var tools = ToolBox.standard(new SimpleMeterRegistry()).schemas();
    List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.system("You fix bugs."), ChatMessage.user("Fix add.")));
    List<Turn> turns = new ArrayList<>(List.of(new Turn(0, "system", null, "You fix bugs.", null, null, null, List.of(), List.of(), 0, 0, 0)));
    List<Integer> sampled = new ArrayList<>();
    for (int step = 0; step < 3; step++) {
      PolicyResponse response = policy.next(messages, tools);
      assertThat(response.sampling()).as("the server returned the prompt's ids").isNotNull();
      assertThat(response.sampling().temperature()).isEqualTo(1.0);
      sampled.addAll(response.tokenIds());
      turns.add(new Turn(turns.size(), "assistant", null, response.content(), null, null, null, response.tokenIds(), response.logprobs(),
          0, 0, 0, response.sampling()));
      messages.add(new ChatMessage("assistant", response.content(), null, null));
      messages.add(ChatMessage.tool("view_file", "def add(a, b):\n    return a - b\n"));
      turns.add(new Turn(turns.size(), "tool", null, "", "view_file", null, "def add(a, b):\n    return a - b\n", List.of(), List.of(), 0, 0, 0));
    }
    Trajectory episode = new Trajectory("r/0/t/0", "r", 0, "t", 0, policy.version(), "single", "standard", ModeChooser.CONFIG, turns, "", Outcome.UNRESOLVED,
        "no change", null, null, 0, 1);
    List<TokenSequences.Sequence> sequences = TokenSequences.of(episode);
    List<PackedRow> rows = new Packer(8192).pack(sequences.stream().map(TokenSequences.Sequence::tokens).toList());
    List<Integer> trained = new ArrayList<>();
    for (PackedRow row : rows) {
      for (int t = 0; t < row.length(); t++) {
        if (row.lossMask()[t]) {
          trained.add((int) row.targets()[t]);
        }
      }
    }
    assertThat(trained).as("loss-masked targets are the sampled ids, bit for bit").isEqualTo(sampled);
    // An untrained model almost never writes <|im_end|> in 512 tokens: its replies are cut.
    assertThat(turns).anyMatch(turn -> turn.sampling() != null && turn.sampling().truncated());
    try (ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
      for (Turn turn : turns) {
        if (turn.sampling() != null && turn.sampling().truncated()) {
          // A cut reply ends where the length limit cut it: no <|im_end|> is trained on after it.
          assertThat((long) turn.tokenIds().get(turn.tokenIds().size() - 1)).isNotEqualTo(tokenizer.imEnd());
        }
      }
    }
  }

  @Test
  void embeddingsAreTheModelsMeanHiddenStateAtUnitLengthAndServeSearchCodesDenseSearch() throws Exception {
    HttpResponse<String> one = call("/v1/embeddings", "{\"model\": \"tiny\", \"input\": \"def add(a, b):\"}");
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    JsonNode vector = MAPPER.readTree(one.body()).path("data").path(0).path("embedding");
    assertThat(vector.size()).as("the hidden size").isEqualTo(32);
    double squares = 0;
    for (JsonNode x : vector) {
      squares += x.asDouble() * x.asDouble();
    }
    assertThat(squares).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));

    CodeUnit add = new CodeUnit(UnitKind.FUNCTION, "calc/ops.py", "add", 1, 2, "def add(a, b):", "Adds two numbers.", "return a + b");
    CodeUnit slug = new CodeUnit(UnitKind.FUNCTION, "text/slug.py", "slugify", 4, 9, "def slugify(text):", "", "return text.lower()");
    CodeUnit parse = new CodeUnit(UnitKind.FUNCTION, "conf/load.py", "parse_config", 1, 30, "def parse_config(path):", "Reads YAML.",
        "with open(path) as f:\n    return yaml.safe_load(f)");
    OpenAiEmbeddings embeddings = OpenAiEmbeddings.connect(EmbeddingsEndpoint.parse("http://127.0.0.1:" + server.port() + "/v1#tiny"));
    List<float[]> vectors = embeddings.embed(List.of("def add(a, b):", CodeIndex.embeddedText(slug)));
    assertThat(vectors.get(0)).as("one text alone or in a list: the same vector")
        .containsExactly(MAPPER.convertValue(vector, float[].class));
    try (CodeIndex index = new CodeIndex(List.of(add, slug, parse), embeddings)) {
      // A query that is a unit's own text has that unit's vector: cosine 1, nearest of all.
      assertThat(index.dense(CodeIndex.embeddedText(parse), UnitKind.FUNCTION, 3)).extracting(hit -> hit.unit().name())
          .hasSize(3).first().isEqualTo("parse_config");
      assertThat(index.dense(CodeIndex.embeddedText(slug), UnitKind.FUNCTION, 1).get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
      assertThat(index.search(CodeIndex.embeddedText(parse), UnitKind.FUNCTION, 3)).as("fused: first by both rankings").first()
          .extracting(hit -> hit.unit().name()).isEqualTo("parse_config");
    }

    assertThat(call("/v1/embeddings", "{\"input\": 3}").body()).contains("'input' must be a string or a non-empty list of strings");
    assertThat(call("/v1/embeddings", "{\"input\": \"x\", \"encoding_format\": \"base64\"}").statusCode()).isEqualTo(400);
    assertThat(call("/v1/embeddings", "{\"model\": \"nobody\", \"input\": \"x\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void aBadRequestGetsA400ThatSaysWhy() throws Exception {
    HttpResponse<String> response = post("{\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(response.body()).path("error").path("message").asText())
        .isEqualTo("messages[0].role must be system, user, assistant or tool, not 'robot'");
    assertThat(post("not json").statusCode()).isEqualTo(400);
  }
}
