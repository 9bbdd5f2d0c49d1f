package dev.crucible.trainer.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Arrays;
import java.util.List;

/**
 * One conversation's token context from turn to turn, so that each prompt continues the last one token
 * for token: the previous prompt, the tokens sampled for it (never their re-tokenized text), then the
 * messages added since, rendered. A training sequence rebuilt from the stored ids is then exactly what the
 * policy read and wrote. Where that is not possible (the first turn, a new system message or other tools,
 * an edited history, a context that would overflow and must be trimmed) the prompt is rendered whole and
 * says so. One instance per conversation; not thread-safe.
 */
public final class PromptContext {
  private List<Message> rendered = List.of();
  private ArrayNode tools;
  private long[] context;
  private boolean replyEnded;

  /**
   * @param ids the whole prompt
   * @param added the prompt's tokens after the previous context when {@code extendsPrevious}, else {@code ids}
   */
  public record Prompt(long[] ids, long[] added, boolean extendsPrevious, List<Message> messages) {}

  /** The prompt for {@code messages}, with at most {@code budget} tokens. */
  public Prompt next(ChatTemplate template, List<Message> messages, ArrayNode tools, int budget) {
    if (continues(messages, tools)) {
      long[] added = template.continuation(messages.subList(rendered.size() + 1, messages.size()), replyEnded);
      if (context.length + added.length <= budget) {
        long[] ids = Arrays.copyOf(context, context.length + added.length);
        System.arraycopy(added, 0, ids, context.length, added.length);
        return new Prompt(ids, added, true, List.copyOf(messages));
      }
    }
    long[] ids = template.prompt(ContextWindows.fitPrompt(template, messages, tools, budget), tools);
    return new Prompt(ids, ids, false, List.copyOf(messages));
  }

  /**
   * Records what was sampled for {@code prompt}: the next prompt continues from it.
   *
   * @param endToken the token that closes a reply ({@code <|im_end|>}); a reply not ending with it was cut
   */
  public void sampled(Prompt prompt, ArrayNode tools, List<Integer> tokens, int endToken) {
    long[] next = Arrays.copyOf(prompt.ids(), prompt.ids().length + tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      next[prompt.ids().length + i] = tokens.get(i);
    }
    this.context = next;
    this.rendered = prompt.messages();
    this.tools = tools;
    this.replyEnded = !tokens.isEmpty() && tokens.get(tokens.size() - 1) == endToken;
  }

  /**
   * Whether {@code messages} are the last prompt's messages, the reply sampled for them, and only tool or
   * user messages after it, with the same tools offered.
   */
  private boolean continues(List<Message> messages, ArrayNode tools) {
    if (context == null || !java.util.Objects.equals(this.tools, tools) || messages.size() <= rendered.size() + 1
        || !messages.subList(0, rendered.size()).equals(rendered) || !messages.get(rendered.size()).role().equals("assistant")) {
      return false;
    }
    return messages.subList(rendered.size() + 1, messages.size()).stream()
        .allMatch(m -> m.role().equals("tool") || m.role().equals("user"));
  }
}
