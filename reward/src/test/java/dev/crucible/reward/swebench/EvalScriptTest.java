package dev.crucible.reward.swebench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvalScriptTest {

  @Test
  void theHeaderIsPutBackAndTheTestCommandsExitCodeIsRecordedAroundTheEndMarker() {
    String row = "#!/bin/bash\nset -uxo pipefail\ncd /testbed\n: '>>>>> Start Test Output'\npytest -rA t.py\n"
        + ": '>>>>> End Test Output'\ngit checkout abc t.py\n";
    assertThat(EvalScript.official(row)).isEqualTo("""
        #!/bin/bash
        set -uxo pipefail
        cd /testbed
        : '>>>>> Start Test Output'
        pytest -rA t.py
        SWEBENCH_TEST_EXIT_CODE=$?
        : '>>>>> End Test Output'
        echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"
        git checkout abc t.py
        """);
  }

  @Test
  void aScriptWithoutTheEndMarkerKeepsItsLinesAndGetsTheHeaderEvenWhenItHadNone() {
    // Surrounding whitespace goes (str.strip), the header lines go wherever they stand, other lines stay as they are.
    String row = "\n  echo one\nset -uxo pipefail\n\techo two  \n\n";
    assertThat(EvalScript.official(row)).isEqualTo("#!/bin/bash\nset -uxo pipefail\necho one\n\techo two\n");
  }

  @Test
  void onlyTheFirstEndMarkerIsWrappedAndAnIndentedHeaderLineIsKept() {
    String row = "x\n #!/bin/bash\n: '>>>>> End Test Output'\n: '>>>>> End Test Output'";
    assertThat(EvalScript.official(row)).isEqualTo("#!/bin/bash\nset -uxo pipefail\nx\n #!/bin/bash\nSWEBENCH_TEST_EXIT_CODE=$?\n"
        + ": '>>>>> End Test Output'\necho \">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE\"\n: '>>>>> End Test Output'\n");
  }

  private static final String ROW = "#!/bin/bash\nset -uxo pipefail\nsource /opt/miniconda3/bin/activate\nconda activate testbed\n"
      + "locale-gen en_US.UTF-8\nexport LANG=en_US.UTF-8\ncd /testbed\nexport LC_ALL=C\nsource /other\n"
      + ": '>>>>> Start Test Output'\npytest -rA t.py\npytest u.py\n: '>>>>> End Test Output'\ngit checkout abc t.py";

  @Test
  void theActivationIsTheEnvironmentLinesBeforeTheFirstChangeOfFolder() {
    assertThat(EvalScript.activation(ROW))
        .isEqualTo("source /opt/miniconda3/bin/activate\nconda activate testbed\nexport LANG=en_US.UTF-8");
    assertThat(EvalScript.activation("cd /testbed\nsource x")).isEmpty();
    assertThat(EvalScript.activation(". /etc/profile\n  export A=1\nexported=1")).isEqualTo(". /etc/profile\nexport A=1");
  }

  @Test
  void theTestCommandIsWhatStandsBetweenTheMarkers() {
    assertThat(EvalScript.testCommand(ROW)).hasValue("pytest -rA t.py\npytest u.py");
    assertThat(EvalScript.testCommand("pytest\n: '>>>>> End Test Output'")).isEmpty();
    assertThat(EvalScript.testCommand(": '>>>>> Start Test Output'\n: '>>>>> End Test Output'")).isEmpty();
    assertThat(EvalScript.withTestCommand(ROW, line -> line + " --x"))
        .isEqualTo(ROW.replace("pytest -rA t.py\npytest u.py", "pytest -rA t.py --x\npytest u.py --x"));
    assertThat(EvalScript.withTestCommand("pytest", line -> "changed")).isEqualTo("pytest");
  }
}
