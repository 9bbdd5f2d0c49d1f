package dev.crucible.trainer.generate;

import java.util.List;

/**
 * What the model wrote.
 *
 * @param promptTokens tokens of the prompt the model read
 * @param tokenIds the generated tokens, the closing {@code <|im_end|>} included when it was written
 * @param logprobs each token's log-probability under the distribution it was drawn from: {@code softmax(logits /
 *     temperature)} within the top-p nucleus, renormalized; for greedy decoding, the model's at temperature 1
 * @param text the text of the tokens, without the closing chat token or stop text
 * @param finishReason {@code stop} (end token or stop text) or {@code length} (token budget or context full)
 */
public record Generation(int promptTokens, List<Integer> tokenIds, List<Float> logprobs, String text, String finishReason) {}
