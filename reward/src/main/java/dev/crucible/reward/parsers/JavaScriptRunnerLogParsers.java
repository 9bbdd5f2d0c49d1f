package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;
import static dev.crucible.reward.parsers.PythonText.stripTrailing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWE-bench 5's JavaScript parsers, part two ({@code swebench/harness/log_parsers/javascript.py}):
 * the runners of SWE-bench Multimodal and Multilingual's JavaScript rows (Jest, Vitest, Karma, TAP,
 * Mocha and Jasmine as those repositories run them), with SWE-bench's results: statuses in the order
 * tests first appear, a test reported twice taking its last status.
 *
 * <p>Python's {@code \s} is {@code str.isspace()}, which counts the separators {@code \x1c} to
 * {@code \x1f} that Java's Unicode whitespace class does not; the patterns here spell it out.
 */
final class JavaScriptRunnerLogParsers {
  private JavaScriptRunnerLogParsers() {}

  /**
   * Adds SWE-bench's JavaScript (part two: calypso, chart_js, marked, p5js, react_pdf, jest,
   * jest_json, vitest, karma, tap, immutable_js) entries to {@code registry}, under its names and in
   * its order.
   */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_calypso", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::calypso));
    registry.put("parse_log_chart_js", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::chartJs));
    registry.put("parse_log_marked", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::marked));
    registry.put("parse_log_p5js", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::p5js));
    registry.put("parse_log_react_pdf", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::reactPdf));
    registry.put("parse_log_jest", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::jest));
    registry.put("parse_log_jest_json", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::jestJson));
    registry.put("parse_log_vitest", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::vitest));
    registry.put("parse_log_karma", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::karma));
    registry.put("parse_log_tap", SweBenchParser.ofLog(JavaScriptRunnerLogParsers::tap));
    registry.put("parse_log_immutable_js", (log, row) -> immutableJs(log, row.instanceId()));
  }

  /** The characters Python's {@code \s} matches in a {@code str} pattern, for a character class. */
  /** Python's {@code \s}. */
  private static final String S = PythonText.SPACE;
  /** Python's {@code [^\S\r\n]}: whitespace other than a line end. */
  private static final String BLANK = "[\\t\\x0b\\f\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  /** Python's {@code \w} in a {@code str} pattern: letters, numbers and the underscore. */
  private static final String W = PythonText.WORD;

  /** SWE-bench's {@code ansi_escape} ({@code swebench/utils.py}): escape sequences and CSI codes. */
  private static final Pattern ANSI = PythonText.regex("\\x1b(?:[@-Z\\x5c-_]|\\[[0-?]*[ -/]*[@-~])", 0);

  private static final String JEST_COMMAND = " ./node_modules/.bin/jest ";
  private static final Pattern TIMING_MS = PythonText.regex("\\(\\d+ms\\)", 0);
  private static final Pattern CALYPSO_PASS_TIMED = PythonText.regex("^" + S + "+✓" + S + "(.*)\\(\\d+ms\\)$", 0);
  private static final Pattern CALYPSO_PASS = PythonText.regex("^" + S + "+✓" + S + "(.*)", 0);
  private static final Pattern CALYPSO_FAIL_TIMED = PythonText.regex("^" + S + "+✕" + S + "(.*)\\(\\d+ms\\)$", 0);
  private static final Pattern CALYPSO_FAIL = PythonText.regex("^" + S + "+✕" + S + "(.*)", 0);

  private static final Pattern CHART_JS_FAILURE =
      PythonText.regex("Chrome" + S + "[\\d.]+" + BLANK + "\\(.+?\\)" + BLANK + "(.*)FAILED$", Pattern.MULTILINE);

  private static final Pattern MARKED_FAILURE = PythonText.regex("^\\d+\\)" + S + "(.*)", 0);

  private static final Pattern P5_XML_BLOCK = PythonText.regex("<(" + W + "+)>[\\s\\S]*?</\\1>", Pattern.MULTILINE);
  private static final Pattern P5_FAILURE =
      PythonText.regex("^" + S + "*(\\d+)\\)(.{0,1000}?):", Pattern.MULTILINE | Pattern.DOTALL);

  /** Carbon's Jest summary lines as react_pdf reads them, in SWE-bench's order (timed forms first). */
  private static final List<Pattern> REACT_PDF_LINES = new ArrayList<>();
  private static final List<TestStatus> REACT_PDF_STATUSES = new ArrayList<>();

  static {
    for (String word : new String[] {"PASS", "FAIL"}) {
      TestStatus status = word.equals("PASS") ? TestStatus.PASSED : TestStatus.FAILED;
      for (String suffix : new String[] {S + "\\([\\d.]+ms\\)", S + "\\([\\d.]+" + S + "s\\)", S + "\\([\\d.]+s\\)", ""}) {
        REACT_PDF_LINES.add(PythonText.regex("^" + word + S + "(.*)" + suffix, 0));
        REACT_PDF_STATUSES.add(status);
      }
    }
  }

  private static final Pattern JEST_LINE = PythonText.regex("^" + S + "*(✓|✕|○)" + S + "(.+?)(?:" + S + "\\((\\d+" + S + "*m?s)\\))?$", 0);
  private static final Pattern JEST_JSON_LINE = PythonText.regex("^\\[(PASSED|FAILED)\\]" + S + "(.+)$", 0);
  private static final Pattern VITEST_LINE =
      PythonText.regex("^" + S + "*(✓|×|↓)" + S + "(.+?)(?:" + S + "(\\d+" + S + "*m?s?|\\[skipped\\]))?$", 0);
  private static final Pattern KARMA_LINE = PythonText.regex("^(" + S + "*)?([✔✖])?" + S + "(.*)$", 0);
  private static final Pattern TAP_LINE = PythonText.regex("^(ok|not ok) (\\d+) (.+)$", 0);

  /** {@code ansi_escape}: the log without its colour and cursor codes. */
  static String withoutAnsi(String log) {
    return ANSI.matcher(log).replaceAll("");
  }

  /**
   * {@code parse_log_calypso}: wp-calypso's {@code ./node_modules/.bin/jest} runs (each read from the
   * command to its {@code Test Suites} summary or first {@code ●} failure detail), {@code ✓} and
   * {@code ✕} lines named after the indented describe lines above them, joined by {@code " - "}.
   */
  static Map<String, TestStatus> calypso(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    List<String> suite = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    List<String> runs = split(log, JEST_COMMAND);
    for (String run : runs.subList(1, runs.size())) {
      for (String line : split(run, "\n")) {
        if (line.startsWith("Test Suites") || line.startsWith("  ● ")) {
          break;
        }
        String stripped = strip(line);
        if (stripped.startsWith("✓") || stripped.startsWith("✕")) {
          boolean passed = stripped.startsWith("✓");
          boolean timed = TIMING_MS.matcher(line).find();
          Pattern pattern = passed ? (timed ? CALYPSO_PASS_TIMED : CALYPSO_PASS) : (timed ? CALYPSO_FAIL_TIMED : CALYPSO_FAIL);
          Matcher match = pattern.matcher(line);
          if (!match.lookingAt()) {
            continue; // SWE-bench raises here (AttributeError on a failed match): this line is skipped.
          }
          String test = strip(String.join(" - ", suite) + " - " + match.group(1));
          statuses.put(test, passed ? TestStatus.PASSED : TestStatus.FAILED);
        } else if (leadingSpace(line) > 0) {
          int indent = leadingSpace(line);
          while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
            suite.remove(suite.size() - 1);
            indents.remove(indents.size() - 1);
          }
          suite.add(stripped);
          indents.add(indent);
        }
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_chart_js}: Karma's progress reporter as Chart.js runs it, colour codes removed;
   * failures only, each {@code Chrome VERSION (PLATFORM) NAME FAILED} line failing {@code NAME} (with
   * the space before {@code FAILED}, as SWE-bench keeps it).
   */
  static Map<String, TestStatus> chartJs(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Matcher failure = CHART_JS_FAILURE.matcher(withoutAnsi(log));
    while (failure.find()) {
      statuses.put(failure.group(1), TestStatus.FAILED);
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_marked}: Jasmine's failure list as marked runs it; failures only, each line
   * {@code N) name} failing its name.
   */
  static Map<String, TestStatus> marked(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher failure = MARKED_FAILURE.matcher(line);
      if (failure.lookingAt()) {
        statuses.put(strip(failure.group(1)), TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_p5js}: Mocha's failure list as p5.js runs it, after removing colour codes, JSON
   * blocks and XML-like {@code <tag>...</tag>} blocks that tests print; failures only, each
   * {@code N) suite\n   sub-suite\n     test:} with ever deeper indents failing its lines joined by
   * {@code ":"}.
   */
  static Map<String, TestStatus> p5js(String log) {
    String text = withoutXmlBlocks(withoutJsonBlocks(withoutAnsi(log)));
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Matcher failure = P5_FAILURE.matcher(text);
    while (failure.find()) {
      String title = failure.group(2);
      if (deepeningIndents(title)) {
        List<String> names = new ArrayList<>();
        for (String part : split(title, "\n")) {
          names.add(strip(part));
        }
        statuses.put(String.join(":", names), TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /** p5js's lines of JSON dropped: those that open or close a block, one-line objects and arrays, and all within. */
  private static String withoutJsonBlocks(String log) {
    List<String> kept = new ArrayList<>();
    boolean inObject = false;
    boolean inArray = false;
    for (String line : split(log, "\n")) {
      String trimmed = stripTrailing(line);
      if (trimmed.endsWith("{")) {
        inObject = true;
        continue;
      }
      if (trimmed.endsWith("[")) {
        inArray = true;
        continue;
      }
      if (trimmed.equals("}") && inObject) {
        inObject = false;
        continue;
      }
      if (trimmed.equals("]") && inArray) {
        inArray = false;
        continue;
      }
      if (inObject || inArray) {
        continue;
      }
      if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
        continue;
      }
      kept.add(line);
    }
    return String.join("\n", kept);
  }

  /**
   * p5js's first {@code <tag>...</tag>} replaced, again and again, by one {@code <tag>} for each
   * further {@code <tag>} it held, until none is left.
   */
  private static String withoutXmlBlocks(String log) {
    String text = log;
    Matcher block = P5_XML_BLOCK.matcher(text);
    while (block.find()) {
      String opening = "<" + block.group(1) + ">";
      int nested = Math.max(occurrences(block.group(), opening) - 1, 0);
      text = text.substring(0, block.start()) + opening.repeat(nested) + text.substring(block.end());
      block = P5_XML_BLOCK.matcher(text);
    }
    return text;
  }

  /** Python's {@code s.count(part)}: non-overlapping occurrences. */
  private static int occurrences(String s, String part) {
    int count = 0;
    for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  /** Whether each line of a p5js failure title is indented deeper than the one before (the first deeper than none). */
  private static boolean deepeningIndents(String title) {
    int last = 0;
    for (String line : split(title, "\n")) {
      int indent = leadingSpace(line);
      if (indent <= last) {
        return false;
      }
      last = indent;
    }
    return true;
  }

  /**
   * {@code parse_log_react_pdf} (the same rules as {@code parse_log_carbon}): Jest's per-file
   * {@code PASS path (1.2 s)} and {@code FAIL path} lines, the file's timing dropped.
   */
  static Map<String, TestStatus> reactPdf(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      for (int i = 0; i < REACT_PDF_LINES.size(); i++) {
        Matcher match = REACT_PDF_LINES.get(i).matcher(line);
        if (match.lookingAt()) {
          statuses.put(match.group(1), REACT_PDF_STATUSES.get(i));
          break;
        }
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_jest}: Jest's {@code --verbose} lines, {@code ✓ name (5 ms)} passing,
   * {@code ✕} failing and {@code ○} skipped, named by the test's own title.
   */
  static Map<String, TestStatus> jest(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = JEST_LINE.matcher(strip(line));
      if (match.lookingAt()) {
        TestStatus status =
            switch (match.group(1)) {
              case "✓" -> TestStatus.PASSED;
              case "✕" -> TestStatus.FAILED;
              default -> TestStatus.SKIPPED;
            };
        statuses.put(strip(match.group(2)), status);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_jest_json}: Jest's {@code --json} results as SWE-bench's jq transform prints
   * them, {@code [PASSED] full name} and {@code [FAILED] full name}.
   */
  static Map<String, TestStatus> jestJson(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = JEST_JSON_LINE.matcher(strip(line));
      if (match.lookingAt()) {
        statuses.put(match.group(2), match.group(1).equals("PASSED") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_vitest}: Vitest's {@code --reporter=verbose} lines, {@code ✓ name 3ms} passing,
   * {@code ×} failing and {@code ↓ name [skipped]} skipped, a trailing duration (or any final number)
   * dropped.
   */
  static Map<String, TestStatus> vitest(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = VITEST_LINE.matcher(strip(line));
      if (match.lookingAt()) {
        TestStatus status =
            switch (match.group(1)) {
              case "✓" -> TestStatus.PASSED;
              case "×" -> TestStatus.FAILED;
              default -> TestStatus.SKIPPED;
            };
        statuses.put(match.group(2), status);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_karma}: Karma's mocha reporter as preact runs it, read from
   * {@code Starting browser} to {@code SUMMARY:}; {@code ✔}/{@code ✖} lines named after the suites
   * above them, joined by {@code " > "}. A suite line deeper than the last opens a suite, a shallower
   * one closes the innermost (and is not itself a suite), one as deep changes nothing; as in SWE-bench,
   * a suite line's indent is counted one short (the pattern's last space is not part of it).
   */
  static Map<String, TestStatus> karma(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    int currentIndent = -1;
    List<String> suite = new ArrayList<>();
    boolean started = false;
    for (String line : split(log, "\n")) {
      if (line.startsWith("SUMMARY:")) {
        break;
      }
      if (line.contains("Starting browser")) {
        started = true;
        continue;
      }
      if (!started) {
        continue;
      }
      Matcher match = KARMA_LINE.matcher(line);
      if (!match.lookingAt()) {
        continue;
      }
      String indent = match.group(1);
      String status = match.group(2);
      String name = match.group(3);
      if (indent != null && !indent.isEmpty() && status == null) {
        int newIndent = indent.length();
        if (newIndent > currentIndent) {
          currentIndent = newIndent;
          suite.add(name);
        } else if (newIndent < currentIndent) {
          currentIndent = newIndent;
          if (!suite.isEmpty()) {
            suite.remove(suite.size() - 1); // SWE-bench raises here (IndexError) when no suite is open.
          }
          continue;
        }
      }
      if (status != null) {
        List<String> path = new ArrayList<>(suite);
        path.add(name);
        statuses.put(String.join(" > ", path), status.equals("✔") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_tap}: TAP's {@code ok N description} and {@code not ok N description} lines (as
   * three.js and axios run their suites), the description kept as it stands ({@code - } and
   * {@code # SKIP} included).
   */
  static Map<String, TestStatus> tap(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = TAP_LINE.matcher(strip(line));
      if (match.lookingAt()) {
        statuses.put(match.group(3), match.group(1).equals("ok") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_immutable_js}: Jest's verbose parser for pull request 2006, its JSON one for
   * 2005, the number being the last part of the instance id split at dashes. For any other number
   * SWE-bench's parser raises ValueError; this one finds no test.
   */
  static Map<String, TestStatus> immutableJs(String log, String instanceId) {
    List<String> parts = instanceId == null ? List.of("") : split(instanceId, "-");
    return switch (parts.get(parts.size() - 1)) {
      case "2006" -> jest(log);
      case "2005" -> jestJson(log);
      // SWE-bench raises here; no results is the least surprising outcome.
      default -> Map.of();
    };
  }

  /** {@code len(line) - len(line.lstrip())}. */
  private static int leadingSpace(String line) {
    return line.length() - PythonText.stripLeading(line).length();
  }
}
