package dev.crucible.trainer.generate;

import dev.crucible.trainer.model.KvCache;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The keys and values of recent token sequences, so a prompt that begins like one of them reads only
 * what follows. Agent prompts share long beginnings: every episode starts with the same system prompt and
 * tool schemas, and each turn's prompt continues the previous turn's prompt and reply. Holds at most
 * {@code capacity} sequences, the least recently used leaving first; a sequence that begins another
 * stored after it is dropped, as the longer one serves every prompt it served.
 */
final class PrefixCache implements AutoCloseable {
  private final int capacity;
  private final List<Entry> entries = new ArrayList<>(); // Most recently used first.

  PrefixCache(int capacity) {
    this.capacity = capacity;
  }

  private record Entry(long[] ids, KvCache.Snapshot snapshot) {}

  /** A stored sequence and how many of a prompt's first tokens it holds. */
  record Match(KvCache.Snapshot snapshot, int length) {}

  /**
   * The stored sequence sharing the longest beginning with {@code prompt}, counting at most all but the
   * prompt's last token (whose logits the pass must compute); {@code null} when none shares a token.
   */
  Match longest(long[] prompt) {
    Entry best = null;
    int bestLength = 0;
    for (Entry entry : entries) {
      int length = commonPrefix(entry.ids, prompt, Math.min(entry.snapshot.positions(), prompt.length - 1));
      if (length > bestLength) {
        best = entry;
        bestLength = length;
      }
    }
    if (best == null) {
      return null;
    }
    entries.remove(best);
    entries.add(0, best);
    return new Match(best.snapshot, bestLength);
  }

  /** Stores {@code snapshot} as the keys and values of {@code ids}; takes ownership of it. */
  void add(long[] ids, KvCache.Snapshot snapshot) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.snapshot.positions() <= snapshot.positions()
          && commonPrefix(entry.ids, ids, entry.snapshot.positions()) == entry.snapshot.positions()) {
        it.remove();
        entry.snapshot.close();
      }
    }
    entries.add(0, new Entry(ids, snapshot));
    while (entries.size() > capacity) {
      entries.remove(entries.size() - 1).snapshot.close();
    }
  }

  private static int commonPrefix(long[] a, long[] b, int limit) {
    int length = 0;
    int end = Math.min(limit, Math.min(a.length, b.length));
    while (length < end && a[length] == b[length]) {
      length++;
    }
    return length;
  }

  @Override
  public void close() {
    entries.forEach(entry -> entry.snapshot.close());
    entries.clear();
  }
}
