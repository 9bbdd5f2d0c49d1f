package dev.crucible.reward.parsers;

import static dev.crucible.reward.parsers.TestStatus.ERROR;
import static dev.crucible.reward.parsers.TestStatus.FAILED;
import static dev.crucible.reward.parsers.TestStatus.PASSED;
import static dev.crucible.reward.parsers.TestStatus.SKIPPED;
import static dev.crucible.reward.parsers.TestStatus.XFAIL;

import java.util.Map;

/**
 * What each parser must read from a run of the parser fixture (rollout-workers' test resource
 * {@code parser-fixture}) in the sandbox image. The logs under {@code logs/} were captured from such
 * runs; rollout-workers' {@code LogParsersInSandboxTest} checks the same against fresh ones.
 */
public final class ParserExpectations {
  private ParserExpectations() {}

  public static final Map<String, TestStatus> PYTEST =
      Map.ofEntries(
          Map.entry("tests/test_mixed.py::TestMixed::test_passes", PASSED),
          Map.entry("tests/test_mixed.py::TestMixed::test_prints", PASSED),
          Map.entry("tests/test_mixed.py::TestMixed::test_fails", FAILED),
          Map.entry("tests/test_mixed.py::TestMixed::test_errors", FAILED),
          Map.entry("tests/test_mixed.py::TestMixed::test_expected_failure", XFAIL),
          Map.entry("tests/test_mixed.py:15", SKIPPED),
          Map.entry("tests/test_params.py::test_small[1]", PASSED),
          Map.entry("tests/test_params.py::test_small[2]", PASSED),
          Map.entry("tests/test_params.py::test_small[3]", FAILED),
          Map.entry("tests/test_params.py::test_fixture_error", ERROR),
          Map.entry("tests/test_params.py::test_known_bug", XFAIL));

  public static final Map<String, TestStatus> UNITTEST =
      Map.of(
          "test_passes (tests.test_mixed.TestMixed.test_passes)", PASSED,
          "test_prints (tests.test_mixed.TestMixed.test_prints)", PASSED,
          "test_fails (tests.test_mixed.TestMixed.test_fails)", FAILED,
          "test_errors (tests.test_mixed.TestMixed.test_errors)", ERROR,
          "test_skipped (tests.test_mixed.TestMixed.test_skipped)", SKIPPED,
          "test_expected_failure (tests.test_mixed.TestMixed.test_expected_failure)", XFAIL);

  public static final Map<String, TestStatus> JUNIT_XML =
      Map.ofEntries(
          Map.entry("tests.test_mixed.TestMixed.test_passes", PASSED),
          Map.entry("tests.test_mixed.TestMixed.test_prints", PASSED),
          Map.entry("tests.test_mixed.TestMixed.test_fails", FAILED),
          Map.entry("tests.test_mixed.TestMixed.test_errors", FAILED),
          Map.entry("tests.test_mixed.TestMixed.test_skipped", SKIPPED),
          Map.entry("tests.test_mixed.TestMixed.test_expected_failure", XFAIL),
          Map.entry("tests.test_params.test_small[1]", PASSED),
          Map.entry("tests.test_params.test_small[2]", PASSED),
          Map.entry("tests.test_params.test_small[3]", FAILED),
          Map.entry("tests.test_params.test_fixture_error", ERROR),
          Map.entry("tests.test_params.test_known_bug", XFAIL));
}
