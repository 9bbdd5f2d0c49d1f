package dev.crucible.rollout.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.ExecResult;
import java.time.Duration;

/** {@code run_shell}: any command in the repository, with a timeout. */
public final class RunShellTool implements Tool {
  static final int DEFAULT_TIMEOUT_SECONDS = 60;
  static final int MAX_TIMEOUT_SECONDS = 600;
  /** Characters of each stream shown to the agent; the middle of longer output is cut. */
  static final int SHOWN_CHARACTERS = 8_000;

  private static final ObjectNode PARAMETERS =
      Schemas.parse(
          """
          {"type": "object",
           "properties": {
             "command": {"type": "string", "description": "Shell command, run with sh -c in the repository root."},
             "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 600, "description": "Default 60."}
           },
           "required": ["command"]}
          """);

  @Override
  public String name() {
    return "run_shell";
  }

  @Override
  public String description() {
    return "Run a shell command in the repository root and see its exit code and output. There is no network.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public String call(Arguments arguments, ToolContext context) {
    String command = arguments.requiredString("command");
    Integer seconds = arguments.optionalInt("timeout_seconds");
    int timeout = seconds == null ? DEFAULT_TIMEOUT_SECONDS : seconds;
    if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
      throw new ToolFailure("timeout_seconds must be between 1 and " + MAX_TIMEOUT_SECONDS + ", got " + timeout);
    }
    return describe(context.sandbox().exec(command, Duration.ofSeconds(timeout)), timeout);
  }

  /** Exit status, then the two streams, each cut to {@link #SHOWN_CHARACTERS}. */
  static String describe(ExecResult result, int timeoutSeconds) {
    StringBuilder text = new StringBuilder();
    if (result.timedOut()) {
      text.append("Timed out after ").append(timeoutSeconds).append(" s and was killed.\n");
    } else if (result.oomKilled()) {
      text.append("Killed: it ran out of memory.\n");
    } else {
      text.append("Exit code ").append(result.exitCode()).append(".\n");
    }
    if (!result.stdout().isEmpty()) {
      text.append("stdout:\n").append(shorten(result.stdout())).append('\n');
    }
    if (!result.stderr().isEmpty()) {
      text.append("stderr:\n").append(shorten(result.stderr())).append('\n');
    }
    return text.toString();
  }

  static String shorten(String text) {
    if (text.length() <= SHOWN_CHARACTERS) {
      return text.stripTrailing();
    }
    int half = SHOWN_CHARACTERS / 2;
    return text.substring(0, half) + "\n[... " + (text.length() - SHOWN_CHARACTERS) + " characters cut ...]\n"
        + text.substring(text.length() - half).stripTrailing();
  }
}
