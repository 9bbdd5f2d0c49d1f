package dev.crucible.reward.parsers;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JUnit XML reports (Maven Surefire, Gradle, pytest {@code --junitxml}) found anywhere in the log, for
 * example printed by {@code cat target/surefire-reports/*.xml} after the test run; several reports and
 * other output may be mixed in. Each {@code <testcase>} gives the id {@code classname.name}; a
 * {@code <failure>}, {@code <error>} or {@code <skipped>} child sets its status.
 */
public final class JUnitXmlLogParser implements LogParser {
  private static final Pattern TESTCASE =
      Pattern.compile("<testcase\\b([^>]*?)(/>|>(.*?)</testcase>)", Pattern.DOTALL);
  private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  @Override
  public Map<String, TestStatus> parse(String log) {
    Statuses statuses = new Statuses();
    Matcher testcase = TESTCASE.matcher(log);
    while (testcase.find()) {
      String classname = attribute(testcase.group(1), "classname");
      String name = attribute(testcase.group(1), "name");
      if (name == null) {
        continue;
      }
      String id = classname == null || classname.isEmpty() ? name : classname + "." + name;
      String body = testcase.group(3) == null ? "" : testcase.group(3);
      statuses.put(unescape(id), status(body));
    }
    return statuses.toMap();
  }

  private static TestStatus status(String body) {
    if (body.contains("<error")) {
      return TestStatus.ERROR;
    }
    if (body.contains("<failure")) {
      return TestStatus.FAILED;
    }
    if (body.contains("<skipped")) {
      return body.contains("xfail") ? TestStatus.XFAIL : TestStatus.SKIPPED;
    }
    return TestStatus.PASSED;
  }

  private static String attribute(String attributes, String name) {
    Matcher matcher = ATTRIBUTE.matcher(attributes);
    while (matcher.find()) {
      if (matcher.group(1).equals(name)) {
        return matcher.group(2);
      }
    }
    return null;
  }

  private static String unescape(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
  }
}
