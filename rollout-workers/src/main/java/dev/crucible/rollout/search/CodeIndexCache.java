package dev.crucible.rollout.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The code indexes of the snapshots an executor's episodes work on, each built once: every sample of a task
 * searches the index the first of them built. Holds the {@code capacity} snapshots used last; an index dropped
 * from it stays usable by whoever holds it.
 */
public final class CodeIndexCache {
  private final int capacity;
  private final Embedder embedder;
  private final Map<String, CompletableFuture<CodeIndex>> indexes;

  /** @param embedder gives every index vectors for dense search; {@code null} for BM25 alone */
  public CodeIndexCache(int capacity, Embedder embedder) {
    this.capacity = capacity;
    this.embedder = embedder;
    this.indexes = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * The index of snapshot {@code key}, built from {@code units} when this cache has none. Threads asking for the
   * same snapshot at once wait for one build; a build that failed is tried again by the next caller.
   *
   * @throws RuntimeException what {@code units} threw
   */
  public CodeIndex of(String key, Supplier<java.util.List<CodeUnit>> units) {
    CompletableFuture<CodeIndex> future;
    boolean builds = false;
    synchronized (this) {
      future = indexes.get(key);
      if (future == null) {
        future = new CompletableFuture<>();
        indexes.put(key, future);
        builds = true;
        while (indexes.size() > capacity) {
          indexes.remove(indexes.keySet().iterator().next());
        }
      }
    }
    if (builds) {
      try {
        future.complete(new CodeIndex(units.get(), embedder));
      } catch (RuntimeException e) {
        synchronized (this) {
          indexes.remove(key, future);
        }
        future.completeExceptionally(e);
      }
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }
}
