package dev.crucible.trainer.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.io.PythonStrings;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders conversations the way the Qwen2.5 chat template does: {@code <|im_start|>role\n...<|im_end|>\n}
 * blocks, the tool signatures inside {@code <tools></tools>} in the system message, an assistant's call as
 * {@code <tool_call>\n{"name": ..., "arguments": ...}\n</tool_call>}, and tool results as a user message
 * inside {@code <tool_response>}. Tool signatures are JSON as Python's {@code json.dumps} writes it
 * ({@link PythonJson}), as Qwen2.5 saw them; a call's arguments are its text as written. Each block is
 * tokenized on its own, so a prompt tokenizes the same whether it stands alone or leads a training
 * sequence.
 *
 * <p>The Jinja template every checkpoint carries in {@code tokenizer_config.json} ({@link
 * ChatTokenizer#CHAT_TEMPLATE}) renders the same text; {@code CheckpointTokenizerFilesTest} holds the two
 * together, so a change here changes it too.
 */
public final class ChatTemplate {
  private static final String TOOLS_PREAMBLE =
      "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
          + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
  private static final String TOOLS_POSTAMBLE =
      "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
          + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";

  private final ChatTokenizer tokenizer;

  public ChatTemplate(ChatTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Token ids with, for each, whether it is an assistant token the model is trained to write. */
  public record Tokens(long[] ids, boolean[] assistant) {
    public int length() {
      return ids.length;
    }
  }

  /** A whole conversation, for training: the mask is true on assistant text and its closing {@code <|im_end|>}. */
  public Tokens conversation(List<Message> messages, ArrayNode tools) {
    Builder out = new Builder();
    render(messages, tools, out);
    return out.build();
  }

  /** A prompt ending with the assistant header, for generation. */
  public long[] prompt(List<Message> messages, ArrayNode tools) {
    Builder out = new Builder();
    render(messages, tools, out);
    header("assistant", out);
    return out.build().ids();
  }

  /**
   * The tokens that continue a context ending with a sampled assistant reply, up to the next assistant
   * header: the reply's closing {@code <|im_end|>} when the length limit cut it ({@code replyEnded} false),
   * the newline the template puts after it, then {@code added} (tool and user messages) as {@link #prompt}
   * renders them. The whole is a token-for-token continuation of the context.
   */
  public long[] continuation(List<Message> added, boolean replyEnded) {
    Builder out = new Builder();
    if (!replyEnded) {
      out.add(new long[] {tokenizer.imEnd()}, false);
    }
    out.add(tokenizer.encode("\n"), false);
    for (Message message : added) {
      if (message.role().equals("system") || message.role().equals("assistant")) {
        throw new IllegalArgumentException("a continuation holds tool and user messages, not " + message.role());
      }
    }
    render(added, null, out);
    header("assistant", out);
    return out.build().ids();
  }

  /** An assistant message's text as the template writes it, call included. */
  public static String assistantText(Message message) {
    StringBuilder text = new StringBuilder(message.content());
    if (message.toolName() != null) {
      if (!message.content().isEmpty()) {
        text.append('\n');
      }
      text.append("<tool_call>\n{\"name\": ").append(quote(message.toolName())).append(", \"arguments\": ")
          .append(arguments(message.toolArguments())).append("}\n</tool_call>");
    }
    return text.toString();
  }

  private void render(List<Message> messages, ArrayNode tools, Builder out) {
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      switch (message.role()) {
        case "system" -> {
          header("system", out);
          out.add(tokenizer.encode(i == 0 ? systemText(message.content(), tools) : message.content()), false);
          footer(out);
        }
        case "user" -> {
          header("user", out);
          out.add(tokenizer.encode(message.content()), false);
          footer(out);
        }
        case "assistant" -> {
          header("assistant", out);
          out.add(tokenizer.encode(assistantText(message)), true);
          out.add(new long[] {tokenizer.imEnd()}, true);
          out.add(tokenizer.encode("\n"), false);
        }
        case "tool" -> {
          header("user", out);
          out.add(tokenizer.encode("<tool_response>\n" + message.content() + "\n</tool_response>"), false);
          footer(out);
        }
        default -> throw new IllegalArgumentException("message " + i + " has unknown role '" + message.role() + "'");
      }
    }
  }

  private void header(String role, Builder out) {
    out.add(new long[] {tokenizer.imStart()}, false);
    out.add(tokenizer.encode(role + "\n"), false);
  }

  private void footer(Builder out) {
    out.add(new long[] {tokenizer.imEnd()}, false);
    out.add(tokenizer.encode("\n"), false);
  }

  /** The text of the first system message: its content, then the tool signatures when there are tools. */
  public static String systemText(String content, ArrayNode tools) {
    if (tools == null || tools.isEmpty()) {
      return content;
    }
    StringBuilder block = new StringBuilder(content).append(TOOLS_PREAMBLE);
    for (JsonNode tool : tools) {
      block.append('\n').append(PythonJson.dumps(tool));
    }
    return block.append(TOOLS_POSTAMBLE).toString();
  }

  /**
   * A call's arguments as sent: verbatim, as a chat template prints a string {@code arguments} (the OpenAI
   * form), so the model reads back exactly what it wrote; {@code {}} for a call recorded without any.
   */
  private static String arguments(String json) {
    return json == null ? "{}" : json;
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder();
    PythonStrings.quote(text, false, quoted);
    return quoted.toString();
  }

  private static final class Builder {
    private final List<long[]> pieces = new ArrayList<>();
    private final List<Boolean> trainable = new ArrayList<>();
    private int length;

    void add(long[] ids, boolean assistant) {
      pieces.add(ids);
      trainable.add(assistant);
      length += ids.length;
    }

    Tokens build() {
      long[] ids = new long[length];
      boolean[] mask = new boolean[length];
      int at = 0;
      for (int p = 0; p < pieces.size(); p++) {
        long[] piece = pieces.get(p);
        System.arraycopy(piece, 0, ids, at, piece.length);
        java.util.Arrays.fill(mask, at, at + piece.length, trainable.get(p));
        at += piece.length;
      }
      return new Tokens(ids, mask);
    }
  }
}
