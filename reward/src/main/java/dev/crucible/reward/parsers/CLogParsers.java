package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.PythonText.split;
import static dev.crucible.reward.parsers.PythonText.strip;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The C and C++ parsers of SWE-bench 5's registry ({@code swebench/harness/log_parsers/c.py}), with its
 * results: statuses in the order tests first appear, a test reported twice taking its last status.
 * Each line-based parser reads the log's {@code \n}-separated lines with Python's whitespace stripped
 * from both ends, and its patterns use {@link #SPACE} and {@link #NON_SPACE} where Python's {@code \s}
 * and {@code \S} stand, since Java's Unicode {@code \s} leaves out {@code \x1c}-{@code \x1f}.
 */
final class CLogParsers {
  private CLogParsers() {}

  /** Python's {@code \s} in a {@code str} pattern: exactly the characters of {@code str.isspace()}. */
  private static final String SPACE = PythonText.SPACE;
  /** Python's {@code \S}. */
  private static final String NON_SPACE = PythonText.NON_SPACE;
  /**
   * Python 3.11's {@code \d} (Unicode 14's decimal digits): Java 17's, whose Unicode 13 lacks the
   * Tangsa digits.
   */
  private static final String DIGIT = "[\\p{Nd}\\x{16AC0}-\\x{16AC9}]";

  private static final Pattern REDIS =
      PythonText.regex(
          "^\\[(ok|err|skip|ignore)\\]:" + SPACE + "(.+?)(?:" + SPACE + "\\((" + DIGIT + "+" + SPACE + "*m?s)\\))?$", 0);
  private static final Pattern REDIS_FILE_SUFFIX = PythonText.regex(SPACE + "+in" + SPACE + "+" + NON_SPACE + "+$", 0);
  private static final Pattern JQ = PythonText.regex("^" + SPACE + "*(PASS|FAIL):" + SPACE + "(.+)$", 0);
  private static final Pattern MICROPYTHON = PythonText.regex("^(pass|FAIL|skip)" + SPACE + "+(.+)$", 0);
  private static final Pattern GOOGLETEST =
      PythonText.regex("^.*\\[" + SPACE + "*(OK|FAILED)" + SPACE + "*\\]" + SPACE + "(.*)" + SPACE + "\\(.*\\)$", 0);

  private static final String DOCTEST_START = "<doctest";
  private static final String DOCTEST_END = "</doctest>";

  /** Adds SWE-bench's C entries to {@code registry}, under its names and in its order. */
  static void register(Map<String, SweBenchParser> registry) {
    registry.put("parse_log_redis", SweBenchParser.ofLog(CLogParsers::redis));
    registry.put("parse_log_jq", SweBenchParser.ofLog(CLogParsers::jq));
    registry.put("parse_log_doctest", SweBenchParser.ofLog(CLogParsers::doctest));
    registry.put("parse_log_micropython_test", SweBenchParser.ofLog(CLogParsers::micropythonTest));
    registry.put("parse_log_googletest", SweBenchParser.ofLog(CLogParsers::googletest));
  }

  /**
   * {@code parse_log_redis}: the Tcl test suite of Redis and Valkey ({@code runtest}), whose lines
   * read {@code [ok]: name (12 ms)}, {@code [err]: name in tests/unit/x.tcl}, {@code [skip]: name} and
   * {@code [ignore]: name}. The duration is dropped, and so is a failure's trailing {@code in FILE}.
   */
  static Map<String, TestStatus> redis(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = REDIS.matcher(strip(line));
      if (!match.lookingAt()) {
        continue;
      }
      String test = match.group(2);
      switch (match.group(1)) {
        case "ok" -> statuses.put(test, TestStatus.PASSED);
        case "err" -> statuses.put(REDIS_FILE_SUFFIX.matcher(test).replaceAll(""), TestStatus.FAILED);
        default -> statuses.put(test, TestStatus.SKIPPED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_jq}: the {@code PASS: name} and {@code FAIL: name} lines of jq's automake test
   * harness ({@code make check}).
   */
  static Map<String, TestStatus> jq(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = JQ.matcher(strip(line));
      if (match.lookingAt()) {
        statuses.put(match.group(2), match.group(1).equals("PASS") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_micropython_test}: the {@code pass NAME}, {@code FAIL NAME} and {@code skip NAME}
   * lines of MicroPython's {@code tests/run-tests.py}.
   */
  static Map<String, TestStatus> micropythonTest(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = MICROPYTHON.matcher(strip(line));
      if (!match.lookingAt()) {
        continue;
      }
      TestStatus status =
          switch (match.group(1)) {
            case "pass" -> TestStatus.PASSED;
            case "FAIL" -> TestStatus.FAILED;
            default -> TestStatus.SKIPPED;
          };
      statuses.put(match.group(2), status);
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_googletest}: GoogleTest's {@code [       OK ] Suite.Test (0 ms)} and
   * {@code [  FAILED  ] Suite.Test (0 ms)} lines (as {@code fmt}'s tests print them), the last such
   * bracket on a line counting; the summary's {@code [  FAILED  ] Suite.Test} lines, which give no
   * time, are not read.
   */
  static Map<String, TestStatus> googletest(String log) {
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (String line : split(log, "\n")) {
      Matcher match = GOOGLETEST.matcher(strip(line));
      if (match.lookingAt()) {
        statuses.put(match.group(2), match.group(1).equals("OK") ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /**
   * {@code parse_log_doctest}: the XML report of a doctest binary run with {@code -s -r=xml} (as
   * nlohmann/json's tests are), from the first {@code <doctest} to the first {@code </doctest>} after
   * it. Each {@code SubCase} under a {@code TestCase}, nested ones included, is the test
   * {@code "TESTCASE > SUBCASE"} (a nested one by its own name only, not its parents'; {@code None}
   * for a missing name); it passes when every
   * {@code Expression} under it has {@code success="true"}. Element and attribute names are matched
   * outside any XML namespace, as ElementTree's are.
   *
   * <p>A {@code <doctest} with no {@code </doctest>} after it, or a report that is not well-formed
   * XML, makes SWE-bench's parser raise (ElementTree's {@code ParseError}), failing the instance's
   * evaluation; this one gives no results instead. The JDK's parser and ElementTree's expat agree on
   * which reports are well-formed (namespace errors included), except that the JDK's secure processing
   * refuses an element with over 10,000 attributes.
   */
  static Map<String, TestStatus> doctest(String log) {
    int start = log.indexOf(DOCTEST_START);
    if (start < 0) {
      return Map.of();
    }
    int end = log.indexOf(DOCTEST_END, start);
    if (end < 0) {
      // SWE-bench parses log[start:9] here and raises: no results.
      return Map.of();
    }
    Element root;
    try {
      root = parseXml(log.substring(start, end + DOCTEST_END.length()));
    } catch (SAXException | IOException e) {
      // SWE-bench raises ElementTree's ParseError here: no results.
      return Map.of();
    }
    Map<String, TestStatus> statuses = new LinkedHashMap<>();
    for (Element testCase : descendants(root, "TestCase")) {
      String testCaseName = attribute(testCase, "name");
      for (Element subCase : descendants(testCase, "SubCase")) {
        boolean passed = true;
        for (Element expression : descendants(subCase, "Expression")) {
          if (!"true".equals(attribute(expression, "success"))) {
            passed = false;
            break;
          }
        }
        statuses.put(testCaseName + " > " + attribute(subCase, "name"), passed ? TestStatus.PASSED : TestStatus.FAILED);
      }
    }
    return Collections.unmodifiableMap(statuses);
  }

  /** The value of {@code element}'s attribute {@code name} (in no namespace), or Python's {@code "None"}. */
  private static String attribute(Element element, String name) {
    Attr attribute = element.getAttributeNodeNS(null, name);
    return attribute == null ? "None" : attribute.getValue();
  }

  /**
   * ElementTree's {@code findall(".//NAME")}: the elements under {@code element} (not itself) named
   * {@code localName} in no namespace, in document order.
   */
  private static List<Element> descendants(Element element, String localName) {
    List<Element> found = new ArrayList<>();
    Deque<Node> pending = new ArrayDeque<>();
    pushChildren(element, pending);
    while (!pending.isEmpty()) {
      Node node = pending.pop();
      if (node instanceof Element child) {
        if (child.getNamespaceURI() == null && localName.equals(child.getLocalName())) {
          found.add(child);
        }
        pushChildren(child, pending);
      }
    }
    return found;
  }

  /** Pushes {@code node}'s children so that the first is popped first. */
  private static void pushChildren(Node node, Deque<Node> pending) {
    for (Node child = node.getLastChild(); child != null; child = child.getPreviousSibling()) {
      pending.push(child);
    }
  }

  /**
   * {@code xml} parsed as ElementTree parses it (namespaces resolved, an unbound prefix an error),
   * with no DOCTYPE allowed and nothing external loaded, by the JDK's own parser whatever else is on the
   * class path (its properties are the JDK's).
   */
  private static Element parseXml(String xml) throws SAXException, IOException {
    DocumentBuilder builder;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
      factory.setNamespaceAware(true);
      factory.setValidating(false);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      // expat takes names of any length; secure processing's 1,000-character cap guards against nothing here.
      factory.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxXMLNameLimit", String.valueOf(Integer.MAX_VALUE));
      builder = factory.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be secured", e);
    }
    builder.setErrorHandler(STRICT);
    builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
    return builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
  }

  /** Every error is fatal, as to expat, and nothing is printed. */
  private static final ErrorHandler STRICT =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };
}
