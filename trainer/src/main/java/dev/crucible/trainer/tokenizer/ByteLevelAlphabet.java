package dev.crucible.trainer.tokenizer;

/**
 * The byte-level BPE convention of GPT-2 and Qwen: every byte is drawn as a printable character, so a
 * vocabulary of strings covers any input. Printable Latin-1 bytes stand for themselves; the others
 * (controls, space, some Latin-1) are shifted to code points from 256 up, in byte order.
 */
final class ByteLevelAlphabet {
  private static final char[] CHARS = build();

  private ByteLevelAlphabet() {}

  static char of(int unsignedByte) {
    return CHARS[unsignedByte];
  }

  /** {@code text}'s UTF-8 bytes, each as its character. */
  static String encode(String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      out.append(CHARS[b & 0xff]);
    }
    return out.toString();
  }

  private static char[] build() {
    char[] chars = new char[256];
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      chars[b] = printable ? (char) b : (char) (256 + shifted++);
    }
    return chars;
  }
}
