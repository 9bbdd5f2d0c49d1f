package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWE-bench 5's Ruby parsers ({@code swebench/harness/log_parsers/ruby.py}): Minitest and test-unit in
 * verbose mode, Cucumber, and RSpec's JSON turned into lines by the eval script's {@code jq}. Every
 * line is read with Python's whitespace stripped from both ends.
 */
final class RubyLogParsers {
  private RubyLogParsers() {}

  /** Adds SWE-bench's Ruby entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_minitest", SweBenchParser.ofLog(RubyLogParsers::minitest));
    registry.put("parse_log_cucumber", SweBenchParser.ofLog(RubyLogParsers::cucumber));
    registry.put("parse_log_ruby_unit", SweBenchParser.ofLog(RubyLogParsers::rubyUnit));
    registry.put("parse_log_rspec_transformed_json", SweBenchParser.ofLog(RubyLogParsers::rspecTransformedJson));
    registry.put("parse_log_jekyll", (log, row) -> jekyll(log, row.instanceId()));
  }

  /** Python's {@code \s} in a {@code str} pattern, as a class body (Java's Unicode one lacks 0x1c-0x1f). */
  private static final String S = PythonText.SPACE;
  /**
   * Python's {@code \b} after a word character: no letter, number or underscore follows (Python's
   * {@code \w}; Java's own {@code \b} and Unicode {@code \w} draw the line elsewhere).
   */
  private static final String WORD_END = "(?![\\p{L}\\p{N}_])";

  private static final Pattern MINITEST = PythonText.regex("^(.+)\\. .*=.*(\\.|F|E).*$", 0);
  private static final Pattern CUCUMBER = PythonText.regex("^(.*) \\.+(\\.|F)", 0);
  private static final Pattern RUBY_UNIT =
      PythonText.regex("^" + S + "*(?:test: )?(.+):" + S + "+(\\.|E" + WORD_END + "|F" + WORD_END + "|O" + WORD_END + ")", 0);
  private static final Pattern RSPEC = PythonText.regex("(.+) - (passed|failed)", 0);

  /** Jekyll pull requests whose eval script runs Minitest. */
  private static final Set<String> JEKYLL_MINITEST = Set.of("9141", "8047", "8167");
  /** Jekyll pull requests whose eval script runs Cucumber. */
  private static final Set<String> JEKYLL_CUCUMBER = Set.of("8761", "8771");

  /**
   * {@code parse_log_minitest}: Minitest's verbose {@code Class#test_name. = 0.01 s = .} lines (test
   * names from shoulda end in a full stop), the id everything before the last {@code ". "} that has
   * an {@code =} after it, and the last {@code .}, {@code F} or {@code E} of the line, after an
   * {@code =}, the result ({@code E} failing the test, as {@code F} does).
   */
  static Map<String, TestStatus> minitest(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String raw : split(log, "\n")) {
      Matcher match = MINITEST.matcher(strip(raw));
      if (match.lookingAt()) {
        statuses.put(match.group(1), match.group(2).equals(".") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_cucumber}: lines {@code name ....} (passed) or {@code name ...F} (failed): a name, a
   * space, then two dots or more, or dots and an {@code F}; the name runs to the last such space, and
   * what follows is not read.
   */
  static Map<String, TestStatus> cucumber(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String raw : split(log, "\n")) {
      Matcher match = CUCUMBER.matcher(strip(raw));
      if (match.lookingAt()) {
        statuses.put(match.group(1), match.group(2).equals(".") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_ruby_unit}: test-unit's verbose lines {@code test_name(Class): .: (0.001)}, with
   * a {@code test: } prefix dropped; after the last colon followed by whitespace, {@code .} passed,
   * {@code F} or {@code E} failed and {@code O} (omitted) skipped, each letter a word of its own.
   */
  static Map<String, TestStatus> rubyUnit(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String raw : split(log, "\n")) {
      Matcher match = RUBY_UNIT.matcher(strip(raw));
      if (match.lookingAt()) {
        TestStatus status =
            switch (match.group(2)) {
              case "." -> TestStatus.PASSED;
              case "O" -> TestStatus.SKIPPED;
              default -> TestStatus.FAILED;
            };
        statuses.put(match.group(1), status);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_rspec_transformed_json}: RSpec's JSON report as the eval script's {@code jq} writes
   * it, a {@code description - passed} or {@code description - failed} line per example (the
   * description may carry the example's id, {@code desc - ./spec/x_spec.rb[1:2] - passed}); the id is
   * everything before the last {@code " - passed"} or {@code " - failed"}, and what follows it is not
   * read. Pending examples match no line and are left out.
   */
  static Map<String, TestStatus> rspecTransformedJson(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String raw : split(log, "\n")) {
      Matcher match = RSPEC.matcher(strip(raw));
      if (match.lookingAt()) {
        statuses.put(match.group(1), match.group(2).equals("passed") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_jekyll}: Minitest's parser for the Jekyll pull requests 9141, 8047 and 8167,
   * Cucumber's for 8761 and 8771, the number being the second part of the instance id split at dashes
   * ({@code jekyll__jekyll-9141}). For any other number SWE-bench's parser raises ValueError (and
   * IndexError for an id without a dash); this one finds no test.
   */
  static Map<String, TestStatus> jekyll(String log, String instanceId) {
    List<String> parts = instanceId == null ? List.of() : split(instanceId, "-");
    String pullRequest = parts.size() > 1 ? parts.get(1) : "";
    if (JEKYLL_MINITEST.contains(pullRequest)) {
      return minitest(log);
    }
    if (JEKYLL_CUCUMBER.contains(pullRequest)) {
      return cucumber(log);
    }
    // SWE-bench raises here; no results is the least surprising outcome.
    return Map.of();
  }
}
