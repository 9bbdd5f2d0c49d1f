package dev.crucible.rollout.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Collects a stream of bytes in bounded memory: the first {@code limit / 2} bytes and the last
 * {@code limit / 2}, so a command that prints gigabytes cannot exhaust the JVM while the start and
 * the end (where test summaries are) survive. Not thread-safe.
 */
public final class BoundedOutput {
  private final int headLimit;
  private final int tailLimit;
  private final ByteArrayOutputStream head;
  /** Made on the first byte past the head: a large limit costs nothing for small output. */
  private byte[] tail;
  private int tailStart;
  private int tailLength;
  private long total;

  /** @param limit bytes kept in all, at least 2 */
  public BoundedOutput(int limit) {
    if (limit < 2) {
      throw new IllegalArgumentException("limit must be >= 2, got " + limit);
    }
    this.headLimit = limit / 2;
    this.tailLimit = limit - headLimit;
    this.head = new ByteArrayOutputStream(Math.min(headLimit, 8192));
  }

  public void write(byte[] bytes, int offset, int length) {
    total += length;
    int toHead = Math.min(length, headLimit - head.size());
    if (toHead > 0) {
      head.write(bytes, offset, toHead);
    }
    int from = offset + toHead;
    int remaining = length - toHead;
    if (remaining > 0 && tail == null) {
      tail = new byte[tailLimit];
    }
    if (remaining >= tailLimit) {
      System.arraycopy(bytes, from + remaining - tail.length, tail, 0, tail.length);
      tailStart = 0;
      tailLength = tail.length;
      return;
    }
    for (int i = from; i < offset + length; i++) {
      int index = (tailStart + tailLength) % tail.length;
      tail[index] = bytes[i];
      if (tailLength < tail.length) {
        tailLength++;
      } else {
        tailStart = (tailStart + 1) % tail.length;
      }
    }
  }

  public void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  /** Bytes written in all, kept or not. */
  public long totalBytes() {
    return total;
  }

  /** Whether bytes were dropped. */
  public boolean truncated() {
    return total > head.size() + tailLength;
  }

  /**
   * Every byte written, for output that must arrive whole (a file's content).
   *
   * @throws IllegalStateException when bytes were dropped
   */
  public byte[] bytes() {
    if (truncated()) {
      throw new IllegalStateException(total + " bytes were written but only " + (head.size() + tailLength) + " kept");
    }
    byte[] all = new byte[head.size() + tailLength];
    byte[] start = head.toByteArray();
    System.arraycopy(start, 0, all, 0, start.length);
    for (int i = 0; i < tailLength; i++) {
      all[start.length + i] = tail[(tailStart + i) % tail.length];
    }
    return all;
  }

  /**
   * The kept bytes as text: invalid UTF-8 (binary output) becomes U+FFFD and NUL becomes U+2400, so
   * the result is safe to store and show. A dropped middle is replaced by a marker saying how much.
   */
  public String text() {
    String start = decode(head.toByteArray());
    if (tailLength == 0) {
      return start;
    }
    byte[] end = new byte[tailLength];
    for (int i = 0; i < tailLength; i++) {
      end[i] = tail[(tailStart + i) % tail.length];
    }
    long dropped = total - head.size() - tailLength;
    String marker = dropped > 0 ? "\n[... " + dropped + " bytes truncated ...]\n" : "";
    return start + marker + decode(end);
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString()
          .replace('\0', '\u2400');
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
  }
}
