package dev.crucible.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.trainer.Conversations;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.chat.Message;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved checkpoint carries {@code tokenizer_config.json} and {@code generation_config.json}, and the chat
 * template in it, rendered by Jinja as transformers renders it (test resource {@code
 * render_chat_template.py}), gives exactly the text the trainer's own {@link ChatTemplate} tokenizes.
 */
class CheckpointTokenizerFilesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ChatTokenizer tokenizer;
  @TempDir Path temp;

  @BeforeAll
  static void load() {
    tokenizer = TinyModels.tokenizer();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void aSavedTokenizerWritesTheConfigsServersRead() throws Exception {
    tokenizer.save(temp);
    JsonNode config = MAPPER.readTree(temp.resolve("tokenizer_config.json").toFile());
    assertThat(config.path("chat_template").asText()).isEqualTo(ChatTokenizer.CHAT_TEMPLATE).contains("<|im_start|>");
    assertThat(config.path("eos_token").asText()).isEqualTo("<|im_end|>");
    assertThat(config.path("pad_token").asText()).isEqualTo("<|endoftext|>");
    assertThat(config.path("tokenizer_class").asText()).isEqualTo("Qwen2Tokenizer");
    JsonNode imEnd = config.path("added_tokens_decoder").path(Long.toString(tokenizer.imEnd()));
    assertThat(imEnd.path("content").asText()).isEqualTo("<|im_end|>");
    assertThat(imEnd.path("special").asBoolean()).isTrue();
    assertThat(config.path("added_tokens_decoder").size()).isEqualTo(ChatTokenizer.CHAT_TOKENS.size());

    JsonNode generation = MAPPER.readTree(temp.resolve("generation_config.json").toFile());
    assertThat(generation.path("eos_token_id").get(0).asLong()).isEqualTo(tokenizer.imEnd());
    assertThat(generation.path("eos_token_id").get(1).asLong()).isEqualTo(tokenizer.endOfText());
    assertThat(generation.path("pad_token_id").asLong()).isEqualTo(tokenizer.endOfText());
  }

  @Test
  void theTemplateRendersWhatTheTrainerTokenizes() throws Exception {
    tokenizer.save(temp);
    ArrayNode tools = MAPPER.createArrayNode();
    ObjectNode function = tools.addObject().put("type", "function").putObject("function");
    function.put("name", "view_file").put("description", "Show a file, \"quoted\" and naïve\ttabbed.");
    ObjectNode parameters = function.putObject("parameters").put("type", "object");
    parameters.putArray("required").add("path").add("view_range");
    parameters.putObject("properties").putObject("timeout").put("type", "number").put("maximum", 1e7).put("minimum", 0.0005);
    tools.add(Conversations.TOOLS.get(0));
    List<Message> conversation = Conversations.fixing("src/app.py", "add");
    ChatTemplate template = new ChatTemplate(tokenizer);

    String whole = tokenizer.decode(template.conversation(conversation, tools).ids());
    assertThat(whole).contains("\"description\": \"Show a file, \\\"quoted\\\" and naïve\\ttabbed.\"");
    assertThat(render(openAiMessages(conversation), tools, false)).isEqualTo(whole);
    String prompt = tokenizer.decode(template.prompt(conversation.subList(0, 4), tools));
    assertThat(render(openAiMessages(conversation.subList(0, 4)), tools, true)).isEqualTo(prompt);
    String noTools = tokenizer.decode(template.conversation(conversation, null).ids());
    assertThat(render(openAiMessages(conversation), null, false)).isEqualTo(noTools);
  }

  /** Arguments sent as a string (the OpenAI form) are printed as written, compact or not, by both. */
  @Test
  void callArgumentsGivenAsTextRenderVerbatim() throws Exception {
    tokenizer.save(temp);
    List<Message> conversation = List.of(Message.of("system", "You fix bugs."), Message.of("user", "Look at a.py."),
        new Message("assistant", "", "view_file", "{\"path\":\"a.py\"}"));
    String java = tokenizer.decode(new ChatTemplate(tokenizer).conversation(conversation, Conversations.TOOLS).ids());
    assertThat(java).contains("{\"name\": \"view_file\", \"arguments\": {\"path\":\"a.py\"}}");
    ArrayNode messages = openAiMessages(conversation.subList(0, 2));
    messages.addObject().put("role", "assistant").put("content", "").putArray("tool_calls").addObject().put("type", "function")
        .putObject("function").put("name", "view_file").put("arguments", "{\"path\":\"a.py\"}");
    assertThat(render(messages, Conversations.TOOLS, false)).isEqualTo(java);
  }

  @Test
  void configsThatCameWithTheCheckpointAreKeptWithTheTrainedTemplateAndTheTurnEndStop() throws Exception {
    Path source = temp.resolve("source");
    tokenizer.save(source);
    ObjectNode config = (ObjectNode) MAPPER.readTree(source.resolve("tokenizer_config.json").toFile());
    config.put("model_max_length", 131072).put("chat_template", "{{ messages[0].content }}");
    MAPPER.writeValue(source.resolve("tokenizer_config.json").toFile(), config);
    // A base model's: it stops at <|endoftext|> only.
    ObjectNode generation = MAPPER.createObjectNode().put("temperature", 0.7).put("top_k", 20).put("eos_token_id", tokenizer.endOfText());
    MAPPER.writeValue(source.resolve("generation_config.json").toFile(), generation);

    Path saved = temp.resolve("saved");
    try (ChatTokenizer loaded = ChatTokenizer.load(source)) {
      loaded.save(saved);
    }
    JsonNode savedConfig = MAPPER.readTree(saved.resolve("tokenizer_config.json").toFile());
    assertThat(savedConfig.path("model_max_length").asInt()).isEqualTo(131072);
    assertThat(savedConfig.path("chat_template").asText()).isEqualTo(ChatTokenizer.CHAT_TEMPLATE);
    // Kept, but a chat-trained checkpoint also stops at <|im_end|>.
    JsonNode savedGeneration = MAPPER.readTree(saved.resolve("generation_config.json").toFile());
    assertThat(savedGeneration.path("temperature").asDouble()).isEqualTo(0.7);
    assertThat(savedGeneration.path("top_k").asInt()).isEqualTo(20);
    assertThat(savedGeneration.path("eos_token_id").get(0).asLong()).isEqualTo(tokenizer.imEnd());
    assertThat(savedGeneration.path("eos_token_id").get(1).asLong()).isEqualTo(tokenizer.endOfText());
  }

  /** The conversation as an OpenAI-style request holds it: calls under tool_calls, arguments as a mapping. */
  private static ArrayNode openAiMessages(List<Message> conversation) throws Exception {
    ArrayNode messages = MAPPER.createArrayNode();
    for (Message message : conversation) {
      ObjectNode out = messages.addObject().put("role", message.role()).put("content", message.content());
      if (message.toolName() != null && message.role().equals("assistant")) {
        out.putArray("tool_calls").addObject().put("type", "function").putObject("function")
            .put("name", message.toolName()).set("arguments", MAPPER.readTree(message.toolArguments()));
      }
    }
    return messages;
  }

  private String render(ArrayNode messages, ArrayNode tools, boolean generationPrompt) throws Exception {
    ObjectNode request = MAPPER.createObjectNode().put("add_generation_prompt", generationPrompt);
    request.set("messages", messages);
    if (tools != null) {
      request.set("tools", tools);
    }
    Path requestFile = Files.createTempFile(temp, "request", ".json");
    MAPPER.writeValue(requestFile.toFile(), request);
    Path script = temp.resolve("render_chat_template.py");
    if (!Files.exists(script)) {
      try (InputStream in = getClass().getResourceAsStream("/render_chat_template.py")) {
        Files.copy(in, script);
      }
    }
    Process process = new ProcessBuilder("python3", script.toString(), temp.toString(), requestFile.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return text;
  }
}
