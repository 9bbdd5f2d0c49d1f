package dev.crucible.reward.parsers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's {@code str} operations with Python's results, where Java's differ: which characters are
 * whitespace, and what {@code .} and {@code $} treat as a line end in a regular expression.
 */
public final class PythonText {
  /** Python's {@code \s} in a {@code str} pattern (Java's Unicode {@code \s} lacks 0x1c to 0x1f). */
  public static final String SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  /** Python's {@code \S}. */
  public static final String NON_SPACE = "[^\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  /** Python's {@code \w} in a {@code str} pattern: a letter, a number or an underscore. */
  public static final String WORD = "[\\p{L}\\p{N}_]";

  private PythonText() {}

  /** Python's {@code str.isspace()} for one character. */
  static boolean isSpace(char c) {
    return switch (c) {
      case ' ', '\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0', '\u1680',
          '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
      default -> c >= '\u2000' && c <= '\u200a';
    };
  }

  /**
   * The text as Python reads a file in text mode (universal newlines): {@code \r\n} and a lone
   * {@code \r} become {@code \n}. SWE-bench's parsers see logs only this way.
   */
  public static String universalNewlines(String text) {
    return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
  }

  /** {@code s.split()}: the runs of non-whitespace, in order. */
  static List<String> split(String s) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); i++) {
      if (isSpace(s.charAt(i))) {
        if (start >= 0) {
          words.add(s.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      words.add(s.substring(start));
    }
    return words;
  }

  /** {@code s.split(separator)}: every piece, empty ones included. */
  public static List<String> split(String s, String separator) {
    List<String> pieces = new ArrayList<>();
    int from = 0;
    for (int at = s.indexOf(separator); at >= 0; at = s.indexOf(separator, from)) {
      pieces.add(s.substring(from, at));
      from = at + separator.length();
    }
    pieces.add(s.substring(from));
    return pieces;
  }

  /** {@code s.split(separator)[0]}. */
  public static String before(String s, String separator) {
    int at = s.indexOf(separator);
    return at < 0 ? s : s.substring(0, at);
  }

  /** {@code s.strip()}. */
  public static String strip(String s) {
    return stripTrailing(stripLeading(s));
  }

  /** {@code s.lstrip()}. */
  static String stripLeading(String s) {
    int start = 0;
    while (start < s.length() && isSpace(s.charAt(start))) {
      start++;
    }
    return s.substring(start);
  }

  /** {@code s.rstrip()}. */
  public static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * {@code re.compile(regex, flags)} for a Python {@code str} pattern: {@code \d}, {@code \w} and
   * {@code \s} are Unicode classes, and only {@code \n} ends a line.
   */
  public static Pattern regex(String regex, int flags) {
    return Pattern.compile(regex, flags | Pattern.UNIX_LINES | Pattern.UNICODE_CHARACTER_CLASS);
  }
}
