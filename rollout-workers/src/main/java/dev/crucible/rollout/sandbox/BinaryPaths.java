package dev.crucible.rollout.sandbox;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a patch byte for byte when it changes files that are not UTF-8 text (a Latin-1 source file):
 * a patch is stored and shipped as text, so such files must go as git binary patches, which are ASCII.
 * This finds the files whose part of a diff is not valid UTF-8, and writes the git attributes lines
 * that make git treat them as binary.
 */
public final class BinaryPaths {
  /** Paths git prints as they are (with {@code core.quotepath}, any other byte is quoted). */
  private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9._/+=@,%-]+");
  private static final Pattern HEADER = Pattern.compile("^diff --git a/(\\S+) b/(\\S+)$");

  private BinaryPaths() {}

  /** Whether {@code bytes} are valid UTF-8. */
  public static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * The git attributes lines that make binary every file whose section of {@code diff} is not valid
   * UTF-8: {@code /path binary} for each, or {@code * binary} when one has a path git quotes (then every
   * file goes as a binary patch, which is as exact, only harder to read).
   */
  public static String attributes(byte[] diff) {
    StringBuilder lines = new StringBuilder();
    for (byte[] section : sections(diff)) {
      if (isUtf8(section)) {
        continue;
      }
      String header = new String(section, 0, firstLineEnd(section), StandardCharsets.US_ASCII);
      Matcher paths = HEADER.matcher(header);
      if (!paths.matches() || !PLAIN_PATH.matcher(paths.group(1)).matches() || !PLAIN_PATH.matcher(paths.group(2)).matches()) {
        return "* binary\n";
      }
      lines.append('/').append(paths.group(1)).append(" binary\n");
      if (!paths.group(2).equals(paths.group(1))) {
        lines.append('/').append(paths.group(2)).append(" binary\n");
      }
    }
    return lines.toString();
  }

  /** The diff split before each {@code diff --git} line. */
  private static List<byte[]> sections(byte[] diff) {
    List<byte[]> sections = new ArrayList<>();
    byte[] marker = "diff --git ".getBytes(StandardCharsets.US_ASCII);
    int start = 0;
    for (int i = 0; i <= diff.length - marker.length; i++) {
      if ((i == 0 || diff[i - 1] == '\n') && startsWith(diff, i, marker) && i > start) {
        sections.add(java.util.Arrays.copyOfRange(diff, start, i));
        start = i;
      }
    }
    sections.add(java.util.Arrays.copyOfRange(diff, start, diff.length));
    return sections;
  }

  private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
    for (int j = 0; j < prefix.length; j++) {
      if (bytes[at + j] != prefix[j]) {
        return false;
      }
    }
    return true;
  }

  private static int firstLineEnd(byte[] section) {
    for (int i = 0; i < section.length; i++) {
      if (section[i] == '\n') {
        return i;
      }
    }
    return section.length;
  }
}
