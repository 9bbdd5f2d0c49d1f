package dev.crucible.reward.swebench;

import dev.crucible.reward.parsers.PythonText;
import java.util.ArrayList;
import java.util.List;

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
