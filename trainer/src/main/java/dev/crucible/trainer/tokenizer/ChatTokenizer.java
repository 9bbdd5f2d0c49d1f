package dev.crucible.trainer.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@code tokenizer.json} loaded through DJL's Hugging Face tokenizers, with the chat tokens of the
 * Qwen2.5 template. Truncation and padding are off (DJL's defaults truncate to 512 and pad), and no
 * special tokens are added: the chat template writes them. Saved, it writes {@code tokenizer_config.json}
 * (with the chat template) and {@code generation_config.json} beside it ({@link HubConfigFiles}).
 */
public final class ChatTokenizer implements AutoCloseable {
  public static final String FILE_NAME = "tokenizer.json";
  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final String IM_START = "<|im_start|>";
  public static final String IM_END = "<|im_end|>";
  /** The added tokens of the built-in tokenizer, in id order after the merges, as in Qwen2.5. */
  public static final List<BpeTrainer.SpecialToken> CHAT_TOKENS =
      List.of(
          new BpeTrainer.SpecialToken(END_OF_TEXT, true),
          new BpeTrainer.SpecialToken(IM_START, true),
          new BpeTrainer.SpecialToken(IM_END, true),
          new BpeTrainer.SpecialToken("<tool_call>", false),
          new BpeTrainer.SpecialToken("</tool_call>", false),
          new BpeTrainer.SpecialToken("<tool_response>", false),
          new BpeTrainer.SpecialToken("</tool_response>", false));
  private static final String BUILT_IN = "/dev/crucible/trainer/tokenizer/tiny-bpe.json";
  /**
   * The Jinja chat template of every saved checkpoint: it renders what {@code chat.ChatTemplate} renders,
   * for servers that apply {@code tokenizer_config.json}'s template (transformers, vLLM).
   */
  public static final String CHAT_TEMPLATE = resource("/dev/crucible/trainer/tokenizer/chat_template.jinja");
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer tokenizer;
  private final String json;
  private final HubConfigFiles configs;
  /** The file's {@code added_tokens}, which {@code tokenizer_config.json} lists again. */
  private final JsonNode addedTokens;
  private final long imStart;
  private final long imEnd;
  private final long endOfText;
  private final int vocabularySize;

  private ChatTokenizer(String json, HubConfigFiles configs) {
    this.json = json;
    this.configs = configs;
    try (InputStream in = new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(in, OPTIONS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.imStart = single(IM_START);
    this.imEnd = single(IM_END);
    this.endOfText = single(END_OF_TEXT);
    JsonNode root = parse(json);
    this.vocabularySize = vocabularySize(root);
    this.addedTokens = root.path("added_tokens");
  }

  private static JsonNode parse(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the tokenizer is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** One more than the highest id the file defines, merges and added tokens alike. */
  private static int vocabularySize(JsonNode root) {
    int highest = -1;
    for (JsonNode id : root.path("model").path("vocab")) {
      highest = Math.max(highest, id.asInt());
    }
    for (JsonNode token : root.path("added_tokens")) {
      highest = Math.max(highest, token.path("id").asInt());
    }
    return highest + 1;
  }

  /** The embedding rows a model needs for this tokenizer. */
  public int vocabularySize() {
    return vocabularySize;
  }

  /** The tokenizer of {@code json} text, as in a {@code tokenizer.json} file. */
  public static ChatTokenizer of(String json) {
    return new ChatTokenizer(json, HubConfigFiles.none());
  }

  /**
   * {@code dir/tokenizer.json}, which must define the chat tokens, with the tokenizer and generation
   * configs found beside it to be saved again.
   */
  public static ChatTokenizer load(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      return new ChatTokenizer(Files.readString(file), HubConfigFiles.read(dir));
    } catch (IOException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null, "cannot read: " + e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null, e.getMessage()));
    }
  }

  /** The small byte-level BPE tokenizer shipped for the embedded default (see {@code crucible tokenizer train}). */
  public static ChatTokenizer builtIn() {
    return new ChatTokenizer(resource(BUILT_IN), HubConfigFiles.none());
  }

  private static String resource(String name) {
    try (InputStream in = ChatTokenizer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code dir/tokenizer.json}, {@code tokenizer_config.json} and {@code generation_config.json},
   * so a checkpoint carries its own tokenizer and opens in transformers and vLLM as it is.
   */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(FILE_NAME), json);
      configs.write(dir, addedTokens, imEnd, endOfText);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME), e);
    }
  }

  /** The {@code tokenizer.json} text, to ship to executors. */
  public String json() {
    return json;
  }

  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /** The text of {@code ids}, chat tokens included. */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, false);
  }

  public long imStart() {
    return imStart;
  }

  public long imEnd() {
    return imEnd;
  }

  public long endOfText() {
    return endOfText;
  }

  private long single(String token) {
    long[] ids = encode(token);
    if (ids.length != 1) {
      throw new IllegalArgumentException("the tokenizer does not define " + token + " as one token");
    }
    return ids[0];
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
