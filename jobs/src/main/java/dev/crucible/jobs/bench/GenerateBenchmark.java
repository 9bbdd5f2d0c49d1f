package dev.crucible.jobs.bench;

import ai.djl.ndarray.NDManager;
import dev.crucible.trainer.generate.Generation;
import dev.crucible.trainer.generate.GenerationEngine;
import dev.crucible.trainer.generate.SamplingOptions;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Tokens per second of {@code concurrency} generations decoded together by a {@link GenerationEngine},
 * against the same generations one at a time through another engine of the same model, in the same run
 * (each engine starts with no stored prefixes). Both runs must produce the same tokens; the line says
 * whether they did. The prompts may share their first tokens, as agent prompts share a system prompt and
 * tool schemas.
 */
public final class GenerateBenchmark {
  private final int concurrency;
  private final int promptTokens;
  private final int sharedPrefixTokens;
  private final int newTokens;
  private final PrintStream log;

  public GenerateBenchmark(int concurrency, int promptTokens, int sharedPrefixTokens, int newTokens, PrintStream log) {
    if (sharedPrefixTokens > promptTokens) {
      throw new IllegalArgumentException("a shared prefix of " + sharedPrefixTokens + " tokens does not fit prompts of " + promptTokens);
    }
    this.concurrency = concurrency;
    this.promptTokens = promptTokens;
    this.sharedPrefixTokens = sharedPrefixTokens;
    this.newTokens = newTokens;
    this.log = log;
  }

  /** The figures, as one JSON line. */
  public record Result(Qwen2Config config, int concurrency, int promptTokens, int sharedPrefixTokens, long generatedTokens,
      Run sequential, Run concurrent, boolean identical) {
    public String toJson() {
      return String.format(Locale.ROOT,
          "{\"benchmark\":\"generate\",\"parameters\":%d,\"concurrency\":%d,\"prompt_tokens\":%d,\"shared_prefix_tokens\":%d,"
              + "\"generated_tokens\":%d,\"threads\":%d,\"torch_threads\":%d,\"sequential_tokens_per_second\":%.1f,\"concurrent_tokens_per_second\":%.1f,"
              + "\"speedup\":%.2f,\"mean_batch\":%.2f,\"sequential_prompt_reuse\":%.3f,\"concurrent_prompt_reuse\":%.3f,\"identical\":%b}",
          config.parameterCount(), concurrency, promptTokens, sharedPrefixTokens, generatedTokens, Runtime.getRuntime().availableProcessors(),
          ai.djl.pytorch.jni.JniUtils.getNumThreads(), sequential.tokensPerSecond, concurrent.tokensPerSecond, concurrent.tokensPerSecond / sequential.tokensPerSecond,
          concurrent.meanBatch, sequential.promptReuse, concurrent.promptReuse, identical);
    }
  }

  /**
   * One run's figures.
   *
   * @param meanBatch sequences per decoding step
   * @param promptReuse the share of prompt tokens copied from stored prefixes rather than read
   */
  public record Run(List<Generation> generations, double tokensPerSecond, double meanBatch, double promptReuse) {}

  /** The curriculum's model shape (examples/curriculum/sft.yaml), with random weights and the built-in tokenizer. */
  public Result run() {
    try (ChatTokenizer tokenizer = ChatTokenizer.builtIn(); NDManager manager = NDManager.newBaseManager()) {
      Qwen2Config config = new Qwen2Config(tokenizer.vocabularySize(), 128, 384, 4, 4, 2, 2048, 1e-6, 10000, true, 0, 0);
      if (promptTokens + newTokens > config.maxPositionEmbeddings()) {
        throw new IllegalArgumentException("prompt and new tokens (" + (promptTokens + newTokens) + ") exceed the model's context of "
            + config.maxPositionEmbeddings());
      }
      try (Qwen2Model model = Qwen2Model.random(config, 0, manager)) {
        List<long[]> prompts = prompts(tokenizer.vocabularySize());
        List<SamplingOptions> options = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
          options.add(new SamplingOptions(newTokens, 1.0, 1.0, i, List.of()));
        }
        Run sequential = timed(model, tokenizer, prompts, options, false);
        Run concurrent = timed(model, tokenizer, prompts, options, true);
        boolean identical = true;
        for (int i = 0; i < concurrency; i++) {
          identical &= sequential.generations().get(i).tokenIds().equals(concurrent.generations().get(i).tokenIds());
        }
        long tokens = sequential.generations().stream().mapToLong(g -> g.tokenIds().size()).sum();
        return new Result(config, concurrency, promptTokens, sharedPrefixTokens, tokens, sequential, concurrent, identical);
      }
    }
  }

  /** The generations through a new engine, one at a time or all submitted at once. */
  private Run timed(Qwen2Model model, ChatTokenizer tokenizer, List<long[]> prompts, List<SamplingOptions> options, boolean together) {
    try (GenerationEngine engine = GenerationEngine.forContext(model, tokenizer, concurrency)) {
      // Warm-up on a prompt that shares nothing with the others: the first passes of an engine are slower.
      engine.generate(new long[] {1, 2, 3}, SamplingOptions.greedy(4));
      GenerationEngine.Counters before = engine.counters();
      long started = System.nanoTime();
      List<Generation> generations = new ArrayList<>();
      if (together) {
        List<CompletableFuture<Generation>> futures = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
          futures.add(engine.submit(prompts.get(i), options.get(i)));
        }
        futures.forEach(future -> generations.add(future.join()));
      } else {
        for (int i = 0; i < prompts.size(); i++) {
          generations.add(engine.generate(prompts.get(i), options.get(i)));
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      GenerationEngine.Counters after = engine.counters();
      long tokens = generations.stream().mapToLong(g -> g.tokenIds().size()).sum();
      log.printf(Locale.ROOT, "bench generate: %d generations %s: %d tokens in %.1f s%n", prompts.size(),
          together ? "at once" : "one at a time", tokens, seconds);
      double meanBatch = (double) (after.sequenceSteps() - before.sequenceSteps()) / Math.max(1, after.steps() - before.steps());
      double reuse = (double) (after.reusedPromptTokens() - before.reusedPromptTokens()) / (after.promptTokens() - before.promptTokens());
      return new Run(generations, tokens / seconds, meanBatch, reuse);
    }
  }

  /** Prompts of random tokens from a fixed seed, the same for the first {@code sharedPrefixTokens}, distinct after. */
  private List<long[]> prompts(int vocabulary) {
    SplittableRandom random = new SplittableRandom(0);
    long[] shared = new long[sharedPrefixTokens];
    Arrays.setAll(shared, t -> 4 + random.nextInt(vocabulary - 4)); // Not 1, 2, 3: the warm-up's prompt.
    List<long[]> prompts = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      long[] prompt = Arrays.copyOf(shared, promptTokens);
      for (int t = sharedPrefixTokens; t < promptTokens; t++) {
        prompt[t] = 4 + random.nextInt(vocabulary - 4);
      }
      prompts.add(prompt);
    }
    return prompts;
  }
}
