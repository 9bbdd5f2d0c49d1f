package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;
import static dev.crucible.reward.parsers.PythonText.stripLeading;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWE-bench 5's JavaScript parsers, part one ({@code swebench/harness/log_parsers/javascript.py}):
 * highlight.js, Prism, ESLint, bpmn-js, OpenLayers, Grommet, Fusion Next, Carbon, Lighthouse and
 * Quarto. Statuses are kept in the order tests first appear, a test reported twice taking its last
 * status, as the official parsers fill a Python dict.
 *
 * <p>Python's {@code \s} (a {@code str} pattern) also matches the separators {@code \x1c}-{@code \x1f},
 * which Java's Unicode {@code \s} does not: the patterns here spell it {@link #WS} ({@link #NON_WS} for
 * {@code \S}).
 */
final class JavaScriptLogParsers {
  private JavaScriptLogParsers() {}

  /** Adds SWE-bench's JavaScript (part one) entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_bpmn_js", SweBenchParser.ofLog(JavaScriptLogParsers::bpmnJs));
    registry.put("parse_log_carbon", SweBenchParser.ofLog(JavaScriptLogParsers::carbon));
    registry.put("parse_log_eslint", SweBenchParser.ofLog(JavaScriptLogParsers::eslint));
    registry.put("parse_log_grommet", SweBenchParser.ofLog(JavaScriptLogParsers::grommet));
    registry.put("parse_log_highlightjs", SweBenchParser.ofLog(JavaScriptLogParsers::highlightjs));
    registry.put("parse_log_lighthouse", (log, row) -> lighthouse(log, row.version()));
    registry.put("parse_log_next", (log, row) -> next(log, row.version()));
    registry.put("parse_log_openlayers", SweBenchParser.ofLog(JavaScriptLogParsers::openlayers));
    registry.put("parse_log_prismjs", SweBenchParser.ofLog(JavaScriptLogParsers::prismjs));
    registry.put("parse_log_quarto_cli", SweBenchParser.ofLog(JavaScriptLogParsers::quartoCli));
  }

  /** Python's {@code \s}: Unicode white space and the four separators {@code \x1c}-{@code \x1f}. */
  private static final String WS = PythonText.SPACE;
  /** Python's {@code \S}. */
  private static final String NON_WS = PythonText.NON_SPACE;
  /** Python's {@code \w} for a {@code str}: letters, numbers (any kind) and the underscore. */
  private static final String WORD = PythonText.WORD;

  // highlight.js (mocha's spec reporter)
  private static final Pattern MOCHA_SUMMARY = PythonText.regex("\\n[ \\t]*\\d+ passing", 0);
  private static final Pattern MOCHA_TIMING = PythonText.regex("\\(\\d+ms\\)", 0);
  private static final Pattern NUMBERED_FAILURE = PythonText.regex("^\\d+\\)", 0);

  // Prism
  private static final String PRISM_COMMAND = "./node_modules/.bin/mocha tests/run.js --reporter json";
  /** Python's {@code json.loads}: no text after the value, and NaN and Infinity read as numbers. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  // ESLint
  private static final Pattern ESLINT_FAILURE = PythonText.regex("(" + WS + "{2}\\d+\\))([\\s\\S]*?)" + WS + "+(?:(.*)Error)", 0);

  // bpmn-js (karma): the last pattern's name is its second group
  private static final List<Pattern> BPMN_FAILURES =
      List.of(
          PythonText.regex("2KPhantomJS" + WS + "[\\d.]+" + WS + "\\(Linux" + WS + "[\\d.]+\\)" + WS + "(.*)FAILED\\n", 0),
          PythonText.regex("2KPhantomJS" + WS + "[\\d.]+" + WS + "\\(Linux" + WS + "x86_64\\)" + WS + "(.*)FAILED\\n", 0),
          PythonText.regex("Chrome" + WS + "Headless" + WS + "(.*)" + WS + "\\(Linux" + WS + "x86_64\\)" + WS + "(.*)FAILED\\n", 0),
          PythonText.regex("HeadlessChrome" + WS + "[\\d.]+" + WS + "\\(Linux" + WS + "[\\d.]+\\)" + WS + "(.*)FAILED\\n", 0));

  // OpenLayers (karma, mocha's spec reporter and the rendering harness)
  private static final List<Pattern> OPENLAYERS_FAILURES =
      List.of(
          PythonText.regex("Chrome" + WS + "Headless" + WS + "[\\d.]+" + WS + "\\(Linux" + WS + NON_WS + "+\\)" + WS + "(.*)" + WS + "FAILED\\n", Pattern.MULTILINE),
          PythonText.regex("Chrome" + WS + "[\\d.]+" + WS + "\\(Linux" + WS + NON_WS + "+\\)" + WS + "(.*)FAILED\\n", Pattern.MULTILINE),
          PythonText.regex("^" + WS + "{2}\\d+\\)([\\s\\S]*?)Error:", Pattern.MULTILINE),
          PythonText.regex("^case" + WS + "(.*):" + WS + "mismatch", Pattern.MULTILINE));

  // Grommet and Carbon (jest's file lines)
  private static final Pattern JEST_FAIL = PythonText.regex("^FAIL" + WS + "(.*)", Pattern.MULTILINE);
  private static final Pattern JEST_PASS = PythonText.regex("^PASS" + WS + "(.*)", Pattern.MULTILINE);
  private static final Pattern GROMMET_TIMING = PythonText.regex(WS + "\\([\\d.]+" + WS + "?(?:ms|s)\\)$", 0);
  private static final List<Pattern> CARBON_LINES = new ArrayList<>();
  private static final List<TestStatus> CARBON_STATUSES = new ArrayList<>();

  static {
    for (String word : new String[] {"PASS", "FAIL"}) {
      for (String timing : new String[] {"\\([\\d.]+ms\\)", "\\([\\d.]+" + WS + "s\\)", "\\([\\d.]+s\\)"}) {
        CARBON_LINES.add(PythonText.regex("^" + word + WS + "(.*)" + WS + timing, 0));
        CARBON_STATUSES.add(word.equals("PASS") ? TestStatus.PASSED : TestStatus.FAILED);
      }
      CARBON_LINES.add(PythonText.regex("^" + word + WS + "(.*)", 0));
      CARBON_STATUSES.add(word.equals("PASS") ? TestStatus.PASSED : TestStatus.FAILED);
    }
  }

  // Fusion Next
  private static final Pattern ANSI = PythonText.regex("\\x1B(?:[@-Z\\\\-_]|\\[[0-?]*[ -/]*[@-~])", 0);
  private static final Pattern NEXT_ASSERTION = PythonText.regex("AssertionError:" + WS + "+#([\\s\\S]*?)\\n\\n", Pattern.DOTALL);
  private static final List<String> NEXT_SKIPPED_PREFIXES = List.of("ERROR", "LOG", "WARN", "Check", "in");
  private static final Pattern NEXT_SUITE = PythonText.regex("Running:(.*)\\)\\n{3}" + WS + "{2}(.*)\\n", 0);
  private static final Pattern NEXT_FAILURE = PythonText.regex("^" + WS + "{4}\\d+\\)" + WS + "(.*)", Pattern.MULTILINE);
  private static final Pattern NEXT_SUCCESS = PythonText.regex("^" + WS + "{4}✓" + WS + "(.*)\\(", Pattern.MULTILINE);

  // Lighthouse
  private static final List<String> LIGHTHOUSE_MOCHA_VERSIONS = List.of("9.5", "10.0", "10.2");
  private static final Pattern LIGHTHOUSE_RUN = PythonText.regex("running" + WS + "\\d+" + WS + "test" + WS + "files", 0);
  private static final Pattern LIGHTHOUSE_SUMMARY = PythonText.regex("\\d+" + WS + "passing", 0);
  private static final List<Pattern> LIGHTHOUSE_LINES =
      List.of(
          PythonText.regex("✔" + WS + "(.*)" + WS + "\\(\\d+m+s\\)", 0),
          PythonText.regex("✔" + WS + "(.*)", 0),
          PythonText.regex("\\d+\\)" + WS + "(.*)" + WS + "\\(\\d+m+s\\)", 0),
          PythonText.regex("\\d+\\)" + WS + "(.*)", 0));
  private static final List<TestStatus> LIGHTHOUSE_STATUSES = List.of(TestStatus.PASSED, TestStatus.PASSED, TestStatus.FAILED, TestStatus.FAILED);
  private static final String LIGHTHOUSE_JSON_COMMAND = "./node_modules/.bin/mocha --reporter json";
  private static final Pattern FULL_TITLE = PythonText.regex("\"fullTitle\":" + WS + "\"(.*)\",\\n", Pattern.MULTILINE);
  private static final Pattern PYTHON_FLOAT =
      PythonText.regex("[+-]?(?:(?:\\d(?:_?\\d)*)?\\.?\\d(?:_?\\d)*(?:[eE][+-]?\\d(?:_?\\d)*)?|\\d(?:_?\\d)*\\.(?:[eE][+-]?\\d(?:_?\\d)*)?|(?i:inf|infinity|nan))", 0);

  // Quarto (deno test)
  private static final Pattern QUARTO_TEST = PythonText.regex("\\[(smoke|unit)\\]", 0);
  private static final List<Pattern> QUARTO_TEMPORARY_FILES =
      List.of(PythonText.regex("/tmp/(" + WORD + "+)\\.qmd", 0), PythonText.regex("/tmp/(" + WORD + "+)/", 0));

  /**
   * {@code parse_log_highlightjs}: mocha's spec reporter as highlight.js's suite prints it, before its
   * {@code N passing} summary: {@code ✓ name} and {@code ✔ name} pass and {@code N) name} fails, each
   * named {@code suite.name} after the last line indented by two spaces, its {@code (Nms)} timing removed.
   */
  static Map<String, TestStatus> highlightjs(String log) {
    Matcher summary = MOCHA_SUMMARY.matcher(log);
    if (summary.find()) {
      log = log.substring(0, summary.start());
    }
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    String suite = null;
    for (String line : split(log, "\n")) {
      String stripped = strip(line);
      if (stripped.startsWith("✓") || stripped.startsWith("✔")) {
        String check = stripped.startsWith("✓") ? "✓" : "✔";
        String test = withoutMochaTiming(line.substring(line.indexOf(check) + check.length()));
        statuses.put(suite == null ? test : suite + "." + test, TestStatus.PASSED);
      } else if (NUMBERED_FAILURE.matcher(stripped).lookingAt()) {
        String test = withoutMochaTiming(line.substring(line.indexOf(')') + 1));
        statuses.put(suite == null ? test : suite + "." + test, TestStatus.FAILED);
      } else if (line.startsWith("  ")) {
        suite = stripped;
      }
      // The official parser's branch for lines indented by four spaces but not two can never be taken.
    }
    return Collections.unmodifiableMap(statuses);
  }

  private static String withoutMochaTiming(String name) {
    return strip(MOCHA_TIMING.matcher(name).replaceAll(""));
  }

  /**
   * {@code parse_log_prismjs}: the JSON that mocha's json reporter prints after each
   * {@code ./node_modules/.bin/mocha tests/run.js --reporter json} of the eval script (from its first
   * {@code {} to its last {@code }}): each {@code failures} entry's {@code fullTitle} fails, then each
   * {@code passes} entry's passes.
   */
  static Map<String, TestStatus> prismjs(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    List<String> runs = split(log, PRISM_COMMAND);
    for (String run : runs.subList(1, runs.size())) {
      int open = run.indexOf('{');
      String body = open < 0 ? run : run.substring(open + 1);
      body = beforeLast(body, "}");
      JsonNode results;
      try {
        results = JSON.readTree("{" + body + "}");
      } catch (JsonProcessingException notJson) {
        // The official parser raises on a run whose output is not JSON; this one reads on.
        continue;
      }
      JsonNode failures = results.get("failures");
      JsonNode passes = results.get("passes");
      if (failures == null || passes == null || !failures.isArray() || !passes.isArray()) {
        // The official parser raises without both lists; this one reads on.
        continue;
      }
      putTitles(failures, TestStatus.FAILED, statuses);
      putTitles(passes, TestStatus.PASSED, statuses);
    }
    return Collections.unmodifiableMap(statuses);
  }

  private static void putTitles(JsonNode tests, TestStatus status, Map<String, TestStatus> statuses) {
    for (JsonNode test : tests) {
      JsonNode title = test.get("fullTitle");
      // The official parser raises on an entry without a title and keys a non-string one as it is,
      // where no test id can equal it: both are skipped here.
      if (title != null && title.isTextual()) {
        statuses.put(title.asText(), status);
      }
    }
  }

  /**
   * {@code parse_log_eslint}: failures only, from mocha's failure details ({@code   N) title ...Error}),
   * the text between the number and the error's line, its white space runs made single spaces.
   */
  static Map<String, TestStatus> eslint(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Matcher failure = ESLINT_FAILURE.matcher(log);
    while (failure.find()) {
      statuses.put(collapseWhitespace(failure.group(2)), TestStatus.FAILED);
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_bpmn_js}: failures only, from karma's {@code <browser> (Linux ...) <name> FAILED}
   * lines for PhantomJS, Chrome Headless and HeadlessChrome, the name as it stands (its trailing space
   * kept).
   */
  static Map<String, TestStatus> bpmnJs(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (Pattern pattern : BPMN_FAILURES) {
      Matcher failure = pattern.matcher(log);
      int nameGroup = failure.groupCount() > 1 ? 2 : 1;
      while (failure.find()) {
        statuses.put(failure.group(nameGroup), TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_openlayers}: failures only, from karma's {@code Chrome ... FAILED} lines, mocha's
   * {@code   N) title ... Error:} details and the rendering harness's {@code case NAME: mismatch}, each
   * name's white space runs made single spaces.
   */
  static Map<String, TestStatus> openlayers(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (Pattern pattern : OPENLAYERS_FAILURES) {
      Matcher failure = pattern.matcher(log);
      while (failure.find()) {
        statuses.put(collapseWhitespace(failure.group(1)), TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_grommet}: jest's {@code FAIL path} and {@code PASS path} lines (every failure read
   * before every pass), a trailing {@code (1.2 s)} timing removed.
   */
  static Map<String, TestStatus> grommet(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Matcher failure = JEST_FAIL.matcher(log);
    while (failure.find()) {
      statuses.put(GROMMET_TIMING.matcher(strip(failure.group(1))).replaceAll(""), TestStatus.FAILED);
    }
    Matcher pass = JEST_PASS.matcher(log);
    while (pass.find()) {
      statuses.put(GROMMET_TIMING.matcher(strip(pass.group(1))).replaceAll(""), TestStatus.PASSED);
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_carbon} (also the official {@code parse_log_lighthouse_jest}): jest's
   * {@code PASS path (1.2 s)} and {@code FAIL path} lines, the last timing on the line removed.
   */
  static Map<String, TestStatus> carbon(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      for (int i = 0; i < CARBON_LINES.size(); i++) {
        Matcher match = CARBON_LINES.get(i).matcher(line);
        if (match.lookingAt()) {
          statuses.put(match.group(1), CARBON_STATUSES.get(i));
          break;
        }
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_next} (Fusion Next): Cypress's output for {@code version} 1.27 ({@link #nextV2}),
   * karma's otherwise ({@link #nextV1}, also where there is no version).
   */
  static Map<String, TestStatus> next(String log, String version) {
    return "1.27".equals(version) ? nextV2(log) : nextV1(log);
  }

  /**
   * {@code parse_log_next_v1}: karma's spec output after each {@code  xvfb-run } (and after its last
   * {@code Starting browser Chrome}), colour codes and {@code AssertionError: #...} blocks removed, up
   * to a {@code TOTAL} line: {@code ✗ name} fails and {@code ✓ name} passes, named
   * {@code suite - ... - name} by the indented lines above it; lines that start with ERROR, LOG, WARN,
   * Check or in are passed over.
   */
  static Map<String, TestStatus> nextV1(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    log = ANSI.matcher(log).replaceAll("");
    log = NEXT_ASSERTION.matcher(log).replaceAll("");
    List<String> parts = split(log, " xvfb-run ");
    List<Suite> suites = new ArrayList<>();
    for (String part : parts.subList(1, parts.size())) {
      int browser = part.lastIndexOf("Starting browser Chrome");
      if (browser >= 0) {
        part = part.substring(browser + "Starting browser Chrome".length());
      }
      for (String line : split(part, "\n")) {
        if (line.startsWith("TOTAL")) {
          break;
        }
        String stripped = strip(line);
        if (NEXT_SKIPPED_PREFIXES.stream().anyMatch(stripped::startsWith)) {
          continue;
        }
        int failed = line.indexOf('✗');
        int passed = line.indexOf('✓');
        if (failed >= 0) {
          statuses.put(suiteName(suites, stripLeading(line.substring(failed + 1))), TestStatus.FAILED);
        } else if (passed >= 0) {
          statuses.put(suiteName(suites, stripLeading(line.substring(passed + 1))), TestStatus.PASSED);
        } else {
          enterSuite(suites, line);
        }
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_next_v2}: Cypress's {@code Running: spec (1 of N)} headers, each followed by three
   * line ends and its suite's name; after each, {@code     N) name} fails and {@code     ✓ name (...} passes,
   * as {@code suite: name} (every failure of a suite read before its passes).
   */
  static Map<String, TestStatus> nextV2(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Matcher header = NEXT_SUITE.matcher(log);
    List<String> suites = new ArrayList<>();
    List<int[]> bounds = new ArrayList<>();
    while (header.find()) {
      if (!bounds.isEmpty()) {
        bounds.get(bounds.size() - 1)[1] = header.start();
      }
      suites.add(header.group(2));
      bounds.add(new int[] {header.end(), log.length()});
    }
    for (int i = 0; i < suites.size(); i++) {
      String section = log.substring(bounds.get(i)[0], bounds.get(i)[1]);
      Matcher failure = NEXT_FAILURE.matcher(section);
      while (failure.find()) {
        statuses.put(suites.get(i) + ": " + strip(failure.group(1)), TestStatus.FAILED);
      }
      Matcher success = NEXT_SUCCESS.matcher(section);
      while (success.find()) {
        statuses.put(suites.get(i) + ": " + strip(success.group(1)), TestStatus.PASSED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_lighthouse}: for {@code version} 9.5, 10.0 and 10.2 mocha's spec reporter
   * ({@link #lighthouseMocha}); for any other version of 3 or more jest's file lines ({@link #carbon});
   * below 3, mocha's json reporter ({@link #lighthouseMochaJson}). A version that is missing or not a
   * number, where the official parser raises, gives no statuses.
   */
  static Map<String, TestStatus> lighthouse(String log, String version) {
    if (version != null && LIGHTHOUSE_MOCHA_VERSIONS.contains(version)) {
      return lighthouseMocha(log);
    }
    Double number = version == null ? null : pythonFloat(version);
    if (number == null) {
      return Map.of();
    }
    return number >= 3 ? carbon(log) : lighthouseMochaJson(log);
  }

  /**
   * {@code parse_log_lighthouse_mocha}: after each {@code running N test files}, up to its
   * {@code N passing}: {@code ✔ name} passes and {@code N) name} fails (a {@code (12ms)} timing
   * removed), named {@code suite - ... - name} by the indented lines above it.
   */
  static Map<String, TestStatus> lighthouseMocha(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    List<String> runs = regexSplit(LIGHTHOUSE_RUN, log);
    for (String run : runs.subList(1, runs.size())) {
      Matcher summary = LIGHTHOUSE_SUMMARY.matcher(run);
      if (summary.find()) {
        run = run.substring(0, summary.start());
      }
      List<Suite> suites = new ArrayList<>();
      for (String line : split(strip(run), "\n")) {
        String stripped = strip(line);
        boolean test = false;
        for (int i = 0; i < LIGHTHOUSE_LINES.size(); i++) {
          Matcher match = LIGHTHOUSE_LINES.get(i).matcher(stripped);
          if (match.lookingAt()) {
            statuses.put(suiteName(suites, match.group(1)), LIGHTHOUSE_STATUSES.get(i));
            test = true;
            break;
          }
        }
        if (!test) {
          enterSuite(suites, line);
        }
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * The official {@code parse_log_lighthouse} below version 3: after each
   * {@code ./node_modules/.bin/mocha --reporter json}, the {@code "fullTitle": "...",} lines of the
   * text after the JSON's last {@code "passes": [} (up to the last {@code ]}) pass and those after its last
   * {@code "failures": [} (up to the last {@code ],}) fail, each
   * title as the JSON spells it (escapes kept).
   */
  static Map<String, TestStatus> lighthouseMochaJson(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    List<String> runs = split(log, LIGHTHOUSE_JSON_COMMAND);
    for (String run : runs.subList(1, runs.size())) {
      putFullTitles(beforeLast(after(run, "\"passes\": ["), "]"), TestStatus.PASSED, statuses);
      putFullTitles(beforeLast(after(run, "\"failures\": ["), "],"), TestStatus.FAILED, statuses);
    }
    return Collections.unmodifiableMap(statuses);
  }

  private static void putFullTitles(String text, TestStatus status, Map<String, TestStatus> statuses) {
    Matcher title = FULL_TITLE.matcher(text);
    while (title.find()) {
      statuses.put(title.group(1), status);
    }
  }

  /**
   * {@code parse_log_quarto_cli}: deno's {@code [smoke] name ... ok} and {@code ... FAILED} lines
   * (coloured), up to a line naming {@code ERRORS} or {@code failures:}; a test line with neither status
   * fails, except {@code test result:}, step-count and {@code INFO} lines; temporary paths
   * ({@code /tmp/x.qmd}, {@code /tmp/x/}) are numbered in the order they first appear.
   */
  static Map<String, TestStatus> quartoCli(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    Map<String, Integer> temporaryFiles = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      if (line.contains("ERRORS") || line.contains("failures:")) {
        break;
      }
      if (!QUARTO_TEST.matcher(line).find()) {
        continue;
      }
      for (Pattern temporary : QUARTO_TEMPORARY_FILES) {
        Matcher match = temporary.matcher(line);
        if (match.find()) {
          Integer number = temporaryFiles.computeIfAbsent(match.group(), path -> temporaryFiles.size());
          line = temporary.matcher(line).replaceAll(Matcher.quoteReplacement("/tmp/" + number));
        }
      }
      String test = strip(PythonText.before(line, "..."));
      boolean rejected =
          line.startsWith("test result:")
              || (line.contains("passed") && line.contains("failed") && line.contains("steps"))
              || line.contains("34mINFO");
      if (rejected) {
        continue;
      }
      if (line.contains("32mok")) {
        statuses.put(test, TestStatus.PASSED);
      } else if (line.contains("31mFAILED")) {
        statuses.put(test, TestStatus.FAILED);
      } else if (!statuses.containsKey(test)) {
        statuses.put(test, TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /** A suite line of a spec reporter and how far it is indented. */
  private record Suite(String name, int indent) {}

  /**
   * An indented line starts a suite, closing those indented as far or further (Next's and Lighthouse's
   * mocha readers); an unindented one changes nothing.
   */
  private static void enterSuite(List<Suite> suites, String line) {
    int indent = line.length() - stripLeading(line).length();
    if (indent == 0) {
      return;
    }
    while (!suites.isEmpty() && suites.get(suites.size() - 1).indent() >= indent) {
      suites.remove(suites.size() - 1);
    }
    suites.add(new Suite(strip(line), indent));
  }

  /** {@code suite - ... - test}. */
  private static String suiteName(List<Suite> suites, String test) {
    StringBuilder name = new StringBuilder();
    for (Suite suite : suites) {
      name.append(suite.name()).append(" - ");
    }
    return name.append(test).toString();
  }

  /** {@code re.sub(r"\s+", " ", text).strip()}. */
  private static String collapseWhitespace(String text) {
    StringBuilder collapsed = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (PythonText.isSpace(c)) {
        space = true;
      } else {
        if (space && collapsed.length() > 0) {
          collapsed.append(' ');
        }
        space = false;
        collapsed.append(c);
      }
    }
    return collapsed.toString();
  }

  /** {@code re.split(pattern, text)} for a pattern without groups that matches no empty text. */
  private static List<String> regexSplit(Pattern pattern, String text) {
    List<String> pieces = new ArrayList<>();
    Matcher match = pattern.matcher(text);
    int from = 0;
    while (match.find()) {
      pieces.add(text.substring(from, match.start()));
      from = match.end();
    }
    pieces.add(text.substring(from));
    return pieces;
  }

  /** {@code text.rsplit(separator, 1)[0]}: what precedes its last {@code separator}, or all of it. */
  private static String beforeLast(String text, String separator) {
    int at = text.lastIndexOf(separator);
    return at < 0 ? text : text.substring(0, at);
  }

  /** {@code text.split(separator)[-1]}: what follows its last {@code separator}, or all of it. */
  private static String after(String text, String separator) {
    int at = text.lastIndexOf(separator);
    return at < 0 ? text : text.substring(at + separator.length());
  }

  /**
   * Python's {@code float(text)}, or null where it raises: surrounding white space allowed, digits
   * of any script, single underscores between digits, {@code inf}/{@code infinity}/{@code nan} in any
   * case.
   */
  private static Double pythonFloat(String text) {
    StringBuilder ascii = new StringBuilder();
    strip(text)
        .codePoints()
        .forEach(c -> ascii.appendCodePoint(Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER ? '0' + Character.digit(c, 10) : c));
    String number = ascii.toString();
    if (!PYTHON_FLOAT.matcher(number).matches()) {
      return null;
    }
    String lower = number.toLowerCase(java.util.Locale.ROOT);
    String unsigned = lower.replaceFirst("^[+-]", "");
    boolean negative = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    return Double.parseDouble(number.replace("_", ""));
  }
}
