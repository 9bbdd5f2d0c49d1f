package dev.crucible.trainer.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns a byte-level BPE vocabulary from text and writes it as a Hugging Face {@code tokenizer.json},
 * which DJL's tokenizers (and Python's {@code tokenizers}) load. Deterministic: the same corpus and
 * size give the same file (ties between equally frequent pairs go to the smaller pair of ids).
 */
public final class BpeTrainer {
  /** GPT-2's pre-tokenization, the one the {@code ByteLevel} pre-tokenizer applies before merging. */
  private static final Pattern WORDS =
      Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, Integer> wordCounts = new HashMap<>();

  /** Counts the words of one document. */
  public void add(String text) {
    Matcher matcher = WORDS.matcher(text);
    while (matcher.find()) {
      wordCounts.merge(ByteLevelAlphabet.encode(matcher.group()), 1, Integer::sum);
    }
  }

  /**
   * The tokenizer: the 256 byte symbols, up to {@code merges} learned merges, then {@code addedTokens}
   * (special ones such as {@code <|im_end|>} never split).
   */
  public String build(int merges, List<SpecialToken> addedTokens) {
    List<String> vocabulary = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      String symbol = String.valueOf(ByteLevelAlphabet.of(b));
      ids.put(symbol, vocabulary.size());
      vocabulary.add(symbol);
    }
    List<int[]> words = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    wordCounts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      String word = entry.getKey();
      int[] symbols = new int[word.length()];
      for (int i = 0; i < word.length(); i++) {
        symbols[i] = ids.get(String.valueOf(word.charAt(i)));
      }
      words.add(symbols);
      counts.add(entry.getValue());
    });
    List<String> learned = new ArrayList<>();
    for (int m = 0; m < merges; m++) {
      long best = bestPair(words, counts);
      if (best < 0) {
        break;
      }
      int left = (int) (best >>> 32);
      int right = (int) best;
      String merged = vocabulary.get(left) + vocabulary.get(right);
      int id = vocabulary.size();
      vocabulary.add(merged);
      ids.put(merged, id);
      learned.add(vocabulary.get(left) + " " + vocabulary.get(right));
      for (int w = 0; w < words.size(); w++) {
        words.set(w, merge(words.get(w), left, right, id));
      }
    }
    return json(vocabulary, learned, addedTokens);
  }

  /** The most frequent adjacent pair as {@code left << 32 | right}, or -1 when no word has two symbols. */
  private static long bestPair(List<int[]> words, List<Integer> counts) {
    Map<Long, Long> pairCounts = new HashMap<>();
    for (int w = 0; w < words.size(); w++) {
      int[] symbols = words.get(w);
      for (int i = 0; i + 1 < symbols.length; i++) {
        pairCounts.merge(((long) symbols[i] << 32) | symbols[i + 1], (long) counts.get(w), Long::sum);
      }
    }
    long best = -1;
    long bestCount = 0;
    for (Map.Entry<Long, Long> entry : pairCounts.entrySet()) {
      long count = entry.getValue();
      if (count > bestCount || (count == bestCount && entry.getKey() < best)) {
        best = entry.getKey();
        bestCount = count;
      }
    }
    return bestCount < 2 ? -1 : best;
  }

  private static int[] merge(int[] symbols, int left, int right, int id) {
    int[] out = new int[symbols.length];
    int n = 0;
    for (int i = 0; i < symbols.length; i++) {
      if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
        out[n++] = id;
        i++;
      } else {
        out[n++] = symbols[i];
      }
    }
    return n == symbols.length ? symbols : java.util.Arrays.copyOf(out, n);
  }

  private static String json(List<String> vocabulary, List<String> merges, List<SpecialToken> addedTokens) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < addedTokens.size(); i++) {
      SpecialToken token = addedTokens.get(i);
      added.addObject().put("id", vocabulary.size() + i).put("content", token.content()).put("single_word", false)
          .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", token.special());
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
    root.putNull("post_processor");
    root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < vocabulary.size(); i++) {
      vocab.put(vocabulary.get(i), i);
    }
    ArrayNode mergeList = model.putArray("merges");
    merges.forEach(mergeList::add);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token added after the merges; {@code special} ones are dropped when decoding with skipping. */
  public record SpecialToken(String content, boolean special) {}
}
