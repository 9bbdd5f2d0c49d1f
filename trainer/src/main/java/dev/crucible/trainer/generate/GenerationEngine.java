package dev.crucible.trainer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.model.AttentionBias;
import dev.crucible.trainer.model.KvCache;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation for every caller of one model, batched. One thread decodes: each step runs a single forward
 * pass over all the sequences in flight, one new token each, and between steps finished sequences leave
 * and waiting ones join (continuous batching). A sequence joins with its prompt in one pass, then decodes
 * in its own row of a {@link KvCache}. The pass reads only the part of the prompt that no recent sequence
 * began with ({@link PrefixCache}); the rest is copied. Each sequence samples with its own seeded sampler
 * from its own row of logits, so batching changes neither its tokens nor, beyond float rounding, its
 * log-probs.
 */
public final class GenerationEngine implements AutoCloseable {
  private final Qwen2Model model;
  private final ChatTokenizer tokenizer;
  private final KvCache cache;
  private final PrefixCache prefixes;
  private final BlockingQueue<Request> waiting = new LinkedBlockingQueue<>();
  /** The sequences in flight; the one at index {@code i} owns cache row {@code i}. Only the engine's thread touches it. */
  private final List<Request> running = new ArrayList<>();
  private final Object submitLock = new Object();
  private final Thread thread;
  private volatile boolean closed;
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong sequenceSteps = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong reusedPromptTokens = new AtomicLong();

  /**
   * @param rows sequences decoded together at most; more wait their turn
   * @param length positions a sequence may span, prompt and generated tokens together (at most the model's context)
   */
  public GenerationEngine(Qwen2Model model, ChatTokenizer tokenizer, int rows, int length) {
    if (length > model.config().maxPositionEmbeddings()) {
      throw new IllegalArgumentException("a length of " + length + " exceeds the model's context of " + model.config().maxPositionEmbeddings());
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.cache = new KvCache(model.manager(), model.config(), rows, length);
    this.prefixes = new PrefixCache(2 * rows);
    this.thread = new Thread(this::decodeUntilClosed, "crucible-generation");
    thread.setDaemon(true);
    thread.start();
  }

  /** An engine whose sequences may span the model's whole context. */
  public static GenerationEngine forContext(Qwen2Model model, ChatTokenizer tokenizer, int rows) {
    return new GenerationEngine(model, tokenizer, rows, model.config().maxPositionEmbeddings());
  }

  /** Positions a sequence may span, prompt and generated tokens together. */
  public int length() {
    return cache.length();
  }

  /**
   * How busy decoding has been since the engine started.
   *
   * @param steps decoding steps (forward passes of one token per sequence in flight)
   * @param sequenceSteps the sequences in flight, summed over the steps: over {@code steps}, the mean batch
   * @param promptTokens the tokens of every prompt that joined
   * @param reusedPromptTokens those of them copied from a stored prefix instead of read by the model
   */
  public record Counters(long steps, long sequenceSteps, long promptTokens, long reusedPromptTokens) {}

  public Counters counters() {
    return new Counters(steps.get(), sequenceSteps.get(), promptTokens.get(), reusedPromptTokens.get());
  }

  /** Generates from {@code prompt}, waiting for the result; safe to call from many threads at once. */
  public Generation generate(long[] prompt, SamplingOptions options) {
    CompletableFuture<Generation> result = submit(prompt, options);
    try {
      return result.get();
    } catch (InterruptedException e) {
      result.cancel(false); // The engine drops it at its next step.
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Queues a generation; the future completes when it ends, or fails with what broke its step. */
  public CompletableFuture<Generation> submit(long[] prompt, SamplingOptions options) {
    if (prompt.length == 0 || prompt.length >= cache.length()) {
      throw new ContextOverflowException(prompt.length, cache.length());
    }
    int budget = Math.min(options.maxNewTokens(), cache.length() - prompt.length);
    Request request = new Request(new Decoding(prompt.clone(), options, tokenizer, budget), new CompletableFuture<>());
    synchronized (submitLock) { // Against close(): a request is either decoded or failed by the closing thread.
      if (closed) {
        throw new IllegalStateException("the generation engine is closed");
      }
      waiting.add(request);
    }
    return request.result;
  }

  private void decodeUntilClosed() {
    while (!closed) {
      try {
        if (running.isEmpty()) {
          join(waiting.take());
        }
        Request next;
        while (running.size() < cache.rows() && (next = waiting.poll()) != null) {
          join(next);
        }
        if (!running.isEmpty()) {
          step();
        }
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException | Error e) { // A broken step fails its sequences, not the engine.
        running.forEach(request -> request.result.completeExceptionally(e));
        running.clear();
      }
    }
    IllegalStateException closing = new IllegalStateException("the generation engine closed before this generation ended");
    running.forEach(request -> request.result.completeExceptionally(closing));
    waiting.forEach(request -> request.result.completeExceptionally(closing));
  }

  /**
   * Copies the longest stored beginning of the prompt into the next free row, reads the rest in one pass,
   * stores the prompt's keys and values for those that begin like it, and samples the first token.
   */
  private void join(Request request) {
    if (request.result.isDone()) { // Cancelled while waiting.
      return;
    }
    Decoding decoding = request.decoding;
    long[] prompt = decoding.prompt();
    int row = running.size();
    boolean ended;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      cache.reserve(prompt.length + decoding.budget());
      PrefixCache.Match match = prefixes.longest(prompt);
      int reused = match == null ? 0 : match.length();
      if (reused > 0) {
        cache.load(match.snapshot(), row, reused);
      }
      int read = prompt.length - reused;
      long[] positions = new long[read];
      Arrays.setAll(positions, i -> reused + i);
      NDManager manager = model.manager();
      NDArray hidden = model.hidden(manager.create(Arrays.copyOfRange(prompt, reused, prompt.length), new Shape(1, read)),
          manager.create(positions, new Shape(1, read)), AttentionBias.causal(manager, reused, read), cache.window(row, new int[] {reused}));
      ended = decoding.accept(model.logits(hidden.get(":, -1, :")).toFloatArray());
      prefixes.add(prompt, cache.save(row, prompt.length));
      promptTokens.addAndGet(prompt.length);
      reusedPromptTokens.addAndGet(reused);
    } catch (RuntimeException | Error e) {
      request.result.completeExceptionally(e);
      return;
    }
    if (ended) {
      request.result.complete(decoding.generation());
    } else {
      running.add(request);
    }
  }

  /** One token for every sequence in flight, then the finished ones leave. */
  private void step() {
    int batch = running.size();
    long[] tokens = new long[batch];
    long[] positions = new long[batch];
    int[] starts = new int[batch];
    for (int i = 0; i < batch; i++) {
      Decoding decoding = running.get(i).decoding;
      tokens[i] = decoding.lastToken();
      starts[i] = decoding.lastPosition();
      positions[i] = starts[i];
    }
    float[] logits;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager manager = model.manager();
      NDArray hidden = model.hidden(manager.create(tokens, new Shape(batch, 1)), manager.create(positions, new Shape(batch, 1)),
          AttentionBias.decoding(manager, starts), cache.window(0, starts));
      logits = model.logits(hidden).toFloatArray();
    }
    steps.incrementAndGet();
    sequenceSteps.addAndGet(batch);
    int vocabulary = logits.length / batch;
    boolean[] ended = new boolean[batch];
    for (int i = 0; i < batch; i++) {
      ended[i] = running.get(i).decoding.accept(Arrays.copyOfRange(logits, i * vocabulary, (i + 1) * vocabulary));
    }
    // From the end, so the row moved into a freed one has already been looked at.
    for (int i = batch - 1; i >= 0; i--) {
      Request request = running.get(i);
      if (!ended[i] && !request.result.isDone()) {
        continue;
      }
      request.result.complete(request.decoding.generation()); // No effect when it was cancelled.
      long[] cached = request.decoding.cachedIds();
      prefixes.add(cached, cache.save(i, cached.length)); // The next turn's prompt continues it.
      int last = running.size() - 1;
      if (i != last) {
        cache.copyRow(last, i, running.get(last).decoding.lastPosition());
        running.set(i, running.get(last));
      }
      running.remove(last);
    }
  }

  /** Stops decoding; generations still waiting or in flight fail. */
  @Override
  public void close() {
    synchronized (submitLock) {
      closed = true;
    }
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    prefixes.close();
    cache.close();
  }

  private record Request(Decoding decoding, CompletableFuture<Generation> result) {}

  /** The prompt does not leave room for a single new token in the model's context. */
  public static final class ContextOverflowException extends IllegalArgumentException {
    public ContextOverflowException(int promptTokens, int context) {
      super("a prompt of " + promptTokens + " tokens leaves no room in the model's context of " + context + " tokens");
    }
  }
}
