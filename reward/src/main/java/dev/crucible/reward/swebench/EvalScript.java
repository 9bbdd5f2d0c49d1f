package dev.crucible.reward.swebench;

import dev.crucible.reward.parsers.PythonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The {@code /eval.sh} SWE-bench 5 runs for a row, made from the row's {@code eval_script} as its
 * {@code make_test_spec} makes it: the script's lines without its own {@code #!/bin/bash} and
 * {@code set -uxo pipefail} lines ({@code parse_eval_script}), the test command's exit status saved
 * just before the end marker and printed after it ({@code record_test_exit_code}), and the two header
 * lines put back in front, with a final newline.
 */
public final class EvalScript {
  static final String SHEBANG = "#!/bin/bash";
  static final String SET_FLAGS = "set -uxo pipefail";
  /** The shell variable the script keeps the test command's {@code $?} in. */
  static final String EXIT_CODE_VARIABLE = "SWEBENCH_TEST_EXIT_CODE";
  private static final Pattern ACTIVATION = Pattern.compile("(?:source|\\.|conda activate|export)\\s");

  private EvalScript() {}

  /** The script the harness copies to {@code /eval.sh} for a row whose {@code eval_script} is {@code rowScript}. */
  public static String official(String rowScript) {
    List<String> lines = new ArrayList<>();
    for (String line : PythonText.split(PythonText.strip(rowScript), "\n")) {
      if (!line.equals(SHEBANG) && !line.equals(SET_FLAGS)) {
        lines.add(line);
      }
    }
    List<String> script = new ArrayList<>(List.of(SHEBANG, SET_FLAGS));
    script.addAll(withExitCodeRecorded(lines));
    return String.join("\n", script) + "\n";
  }

  /**
   * The row's test command: the lines of its {@code eval_script} between the line holding the start
   * marker and the first line holding the end marker after it, joined by newlines; empty without both.
   */
  public static Optional<String> testCommand(String rowScript) {
    List<String> lines = PythonText.split(rowScript, "\n");
    int[] span = testCommandSpan(lines);
    if (span == null) {
      return Optional.empty();
    }
    String command = String.join("\n", lines.subList(span[0], span[1])).strip();
    return command.isEmpty() ? Optional.empty() : Optional.of(command);
  }

  /** The row's script with {@code rewrite} applied to each line of its test command ({@link #testCommand}); unchanged without one. */
  public static String withTestCommand(String rowScript, UnaryOperator<String> rewrite) {
    List<String> lines = new ArrayList<>(PythonText.split(rowScript, "\n"));
    int[] span = testCommandSpan(lines);
    if (span == null) {
      return rowScript;
    }
    for (int i = span[0]; i < span[1]; i++) {
      lines.set(i, rewrite.apply(lines.get(i)));
    }
    return String.join("\n", lines);
  }

  /**
   * The lines of the row's script that set up its environment before it first changes folder
   * ({@code source}, {@code .}, {@code conda activate}, {@code export}), joined by newlines: what an
   * agent's shell needs to see the environment the tests run in. Others (which may write to the image)
   * are left out.
   */
  public static String activation(String rowScript) {
    List<String> kept = new ArrayList<>();
    for (String line : PythonText.split(rowScript, "\n")) {
      String command = line.strip();
      if (command.startsWith("cd ") || command.equals("cd")) {
        break;
      }
      if (ACTIVATION.matcher(command).lookingAt()) {
        kept.add(command);
      }
    }
    return String.join("\n", kept);
  }

  /** Indexes of the first and one past the last line of the test command, or null. */
  private static int[] testCommandSpan(List<String> lines) {
    for (int start = 0; start < lines.size(); start++) {
      if (lines.get(start).contains(HarnessLog.START_TEST_OUTPUT)) {
        for (int end = start + 1; end < lines.size(); end++) {
          if (lines.get(end).contains(HarnessLog.END_TEST_OUTPUT)) {
            return new int[] {start + 1, end};
          }
        }
        return null;
      }
    }
    return null;
  }

  /**
   * {@code lines} with the test command's exit status saved before the first line holding the end
   * marker and printed after it; unchanged when no line holds it (the log alone is then trusted).
   */
  private static List<String> withExitCodeRecorded(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(HarnessLog.END_TEST_OUTPUT)) {
        List<String> recorded = new ArrayList<>(lines.subList(0, i));
        recorded.add(EXIT_CODE_VARIABLE + "=$?");
        recorded.add(lines.get(i));
        recorded.add("echo \"" + HarnessLog.TEST_EXIT_CODE + ": $" + EXIT_CODE_VARIABLE + "\"");
        recorded.addAll(lines.subList(i + 1, lines.size()));
        return recorded;
      }
    }
    return lines;
  }
}
