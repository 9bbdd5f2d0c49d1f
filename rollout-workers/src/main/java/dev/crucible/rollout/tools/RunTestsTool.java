package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code run_tests}: the task's test command, summarized as counts and failing tests. */
public final class RunTestsTool implements Tool {
  static final int TIMEOUT_SECONDS = 300;
  private static final Pattern PYTEST_SUMMARY = Pattern.compile("(?m)^=+ (.*\\d+ (?:passed|failed|error|errors|skipped|xfailed|xpassed|deselected).*) in [\\d.]+s.* =+$");
  private static final Pattern PYTEST_FAILURE = Pattern.compile("(?m)^(?:FAILED|ERROR) (\\S+)");
  private static final int MAX_FAILURES_LISTED = 20;

  private static final ObjectNode PARAMETERS = Schemas.parse("{\"type\": \"object\", \"properties\": {}}");

  @Override
  public String name() {
    return "run_tests";
  }

  @Override
  public String description() {
    return "Run the repository's test suite and see how many tests pass and which fail.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public String call(Arguments arguments, ToolContext context) {
    String command =
        context.testCommand().orElseThrow(() -> new ToolFailure("this task has no test command; use run_shell"));
    ExecResult result = context.sandbox().exec(command, Duration.ofSeconds(TIMEOUT_SECONDS));
    context.editBoundary();
    return describe(result);
  }

  /** What the agent sees of a test run: the pytest summary and the failing tests, or the raw output. */
  private static String describe(ExecResult result) {
    if (result.timedOut()) {
      return "The tests timed out after " + TIMEOUT_SECONDS + " s.\n" + RunShellTool.shorten(result.stdout());
    }
    Matcher summary = PYTEST_SUMMARY.matcher(result.stdout());
    if (!summary.find()) {
      return "The test command exited with code " + result.exitCode() + " and printed no pytest summary.\n"
          + RunShellTool.describe(result, TIMEOUT_SECONDS);
    }
    StringBuilder text = new StringBuilder("Tests: " + summary.group(1) + " (exit code " + result.exitCode() + ").\n");
    List<String> failures = PYTEST_FAILURE.matcher(result.stdout()).results().map(m -> m.group(1)).distinct().toList();
    if (!failures.isEmpty()) {
      text.append("Failing:\n");
      failures.stream().limit(MAX_FAILURES_LISTED).forEach(id -> text.append("  ").append(id).append('\n'));
      if (failures.size() > MAX_FAILURES_LISTED) {
        text.append("  ... and ").append(failures.size() - MAX_FAILURES_LISTED).append(" more\n");
      }
      text.append("Output (end):\n").append(tail(result.stdout(), 3_000)).append('\n');
    }
    return text.toString();
  }

  private static String tail(String text, int characters) {
    return text.length() <= characters ? text.strip() : "..." + text.substring(text.length() - characters).strip();
  }
}
