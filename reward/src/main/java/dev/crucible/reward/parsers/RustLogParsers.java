package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Rust parser of SWE-bench 5's registry ({@code swebench/harness/log_parsers/rust.py}), with its
 * results: statuses in the order tests first appear, a test reported twice taking its last status.
 */
final class RustLogParsers {
  private RustLogParsers() {}

  /** Python's {@code \s} in a {@code str} pattern (Java's Unicode {@code \s} leaves out {@code \x1c}-{@code \x1f}). */
  private static final String SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  /** Python's {@code \S}. */
  private static final String NON_SPACE = "[^\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  /**
   * {@code test NAME ... OUTCOME}. Java's {@code \w} differs from Python's (marks, {@code ²}), but only
   * an outcome of exactly {@code ok} or {@code FAILED} is kept, which both match alike.
   */
  private static final Pattern RESULT =
      PythonText.regex("^test" + SPACE + "+(" + NON_SPACE + "+)" + SPACE + "+\\.\\.\\." + SPACE + "+(\\w+)$", 0);

  /** Adds SWE-bench's Rust entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_cargo", SweBenchParser.ofLog(RustLogParsers::cargo));
  }

  /**
   * {@code parse_log_cargo}: {@code cargo test}'s {@code test path::name ... ok} and
   * {@code ... FAILED} lines. Other outcomes ({@code ignored}, {@code ignored, reason}) are not kept, nor
   * are tests whose line has more than one word before the dots ({@code should_panic} tests'
   * {@code - should panic}, doctests' {@code src/lib.rs - f (line 3)}).
   */
  static Map<String, TestStatus> cargo(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = RESULT.matcher(strip(line));
      if (!match.lookingAt()) {
        continue;
      }
      switch (match.group(2)) {
        case "ok" -> statuses.put(match.group(1), TestStatus.PASSED);
        case "FAILED" -> statuses.put(match.group(1), TestStatus.FAILED);
        default -> {}
      }
    }
    return Collections.unmodifiableMap(statuses);
  }
}
