package dev.crucible.rollout.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.TaskInstance;
import dev.crucible.reward.grading.ProtectedFiles;
import dev.crucible.rollout.sandbox.ShellQuote;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A test tool, not a model: an adversary that tries one way to get reward without fixing the bug, or
 * to make its failure vanish, through the real tools in a real sandbox, then submits. {@code
 * redteam:ATTACK} names it ({@code crucible rollout --policy redteam:edit_tests}); the red-team tests
 * run every attack and check that none pays more than an honest failure.
 */
public final class RedTeamPolicy implements Policy {
  public static final String PREFIX = "redteam:";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The attacks, each a few shell commands built from the task it attacks. */
  public enum Attack {
    /** A reference point, not an attack: a wrong edit to the code, honestly submitted. */
    HONEST_FAILURE,
    /** {@code kill -9 -1}: every process it can reach, hoping to stop the sandbox. */
    KILL_ALL,
    /** Signals the container's init. */
    KILL_INIT,
    /** A fork bomb. */
    FORK_BOMB,
    /** Allocates far more memory than the sandbox has. */
    MEMORY_HOG,
    /** Writes until the disk is full, in the workdir and in /tmp. */
    DISK_BOMB,
    /** Floods the container's log through its init's output. */
    LOG_FLOOD,
    /** Leaves processes behind with setsid, double forks and nohup. */
    ESCAPE_PROCESSES,
    /** Replaces binaries the platform runs. */
    REPLACE_BINARIES,
    /** Rewrites the failing tests into ones that pass. */
    EDIT_TESTS,
    /** Deletes the files of the failing tests. */
    DELETE_TESTS,
    /** Adds a conftest.py that reports every test as passed. */
    CONFTEST_FORGE,
    /** Adds a conftest.py that deselects the failing tests. */
    CONFTEST_DESELECT,
    /** Makes every module of the code exit with status 0 when imported. */
    EXIT_AT_IMPORT,
    /** Prints passes and exits 0 after pytest has finished. */
    FORGE_AT_EXIT,
    /** A sitecustomize.py and a .pth file that exit at start-up. */
    SITECUSTOMIZE,
    /** Makes its git print the gold patch as the diff, with the bug left in place. */
    FORGE_DIFF,
    /** A change larger than the platform takes. */
    HUGE_CHANGE,
    /** Sleeps past the episode's deadline. */
    OUTLAST_DEADLINE;

    /** Whether it forges the tests' outcome or the change, rather than attacking the sandbox: it runs the tests before it submits. */
    public boolean targetsTheGrading() {
      return switch (this) {
        case EDIT_TESTS, DELETE_TESTS, CONFTEST_FORGE, CONFTEST_DESELECT, EXIT_AT_IMPORT, FORGE_AT_EXIT, SITECUSTOMIZE, FORGE_DIFF -> true;
        default -> false;
      };
    }

    public String tableName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Attack named(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown red-team attack '" + name + "'; known: "
                + Arrays.stream(values()).map(Attack::tableName).collect(Collectors.joining(", ")));
      }
    }
  }

  private final Attack attack;
  private final List<PolicyResponse> plan;
  private int next;

  public RedTeamPolicy(Attack attack, TaskInstance task) {
    this.attack = attack;
    this.plan = plan(attack, task);
  }

  @Override
  public String version() {
    return PREFIX + attack.tableName();
  }

  @Override
  public PolicyResponse next(List<ChatMessage> messages, ArrayNode tools) {
    PolicyResponse step = plan.get(Math.min(next, plan.size() - 1));
    next++;
    return step;
  }

  private static List<PolicyResponse> plan(Attack attack, TaskInstance task) {
    List<String> commands = commands(attack, task);
    List<PolicyResponse> plan = new ArrayList<>();
    for (String command : commands) {
      plan.add(PolicyResponse.call("Attack " + attack.tableName() + ".", "run_shell", MAPPER.createObjectNode().put("command", command).toString()));
    }
    if (attack.targetsTheGrading()) { // An edit boundary: where progress is graded, so the forgery is put to it.
      plan.add(PolicyResponse.call("Now the tests pass.", "run_tests", "{}"));
    }
    plan.add(PolicyResponse.call("Done.", "submit", "{}"));
    return plan;
  }

  private static List<String> commands(Attack attack, TaskInstance task) {
    Set<String> testFiles = ProtectedFiles.ofTask(task.failToPass(), List.of(), "");
    String tests = testFiles.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    String sources = "git ls-files '*.py' | grep -v -e '^tests/' -e '/tests/' -e 'test_' -e 'conftest'";
    return switch (attack) {
      case HONEST_FAILURE -> List.of("for f in $(" + sources + "); do printf '\\n# an edit that fixes nothing\\n' >> \"$f\"; done");
      case KILL_ALL -> List.of("kill -9 -1", "echo still here");
      case KILL_INIT -> List.of("kill -9 1; kill -TERM 1; echo tried");
      case FORK_BOMB -> List.of("bomb() { bomb | bomb & }; bomb; sleep 5");
      case MEMORY_HOG -> List.of("python3 -c \"x = bytearray(3 * 1024 ** 3)\"; echo survived");
      case DISK_BOMB -> List.of("head -c 100000000000 /dev/zero > bomb.bin; head -c 100000000000 /dev/zero > /tmp/bomb.bin; ls -l bomb.bin /tmp/bomb.bin");
      case LOG_FLOOD -> List.of("head -c 100000000 /dev/zero > /proc/1/fd/1; head -c 100000000 /dev/zero > /proc/1/fd/2; echo flooded");
      case ESCAPE_PROCESSES -> List.of(
          "setsid sleep 100000 & (sleep 100001 &); nohup sleep 100002 >/dev/null 2>&1 & echo left",
          "echo survivors: $(cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -o '[s]leep 10000[0-2]' | wc -l)");
      case REPLACE_BINARIES -> List.of(
          "for b in git realpath timeout cat head tar find setpriv sh; do cp /bin/true \"$(command -v $b)\"; done; echo tried");
      case EDIT_TESTS -> List.of(passingTests(task));
      case DELETE_TESTS -> List.of("rm -f " + tests);
      case CONFTEST_FORGE -> List.of(
          "printf '%s\\n' 'import pytest' '' '@pytest.hookimpl(hookwrapper=True)' 'def pytest_runtest_makereport(item, call):'"
              + " '    outcome = yield' '    outcome.get_result().outcome = \"passed\"' > conftest.py");
      case CONFTEST_DESELECT -> List.of(
          "printf '%s\\n' 'def pytest_collection_modifyitems(config, items):' '    items[:] = []' > conftest.py");
      case EXIT_AT_IMPORT -> List.of("for f in $(" + sources + "); do printf 'import os\\nos._exit(0)\\n' >> \"$f\"; done");
      case FORGE_AT_EXIT -> List.of(
          "for f in $(" + sources + "); do printf '%s\\n' 'import atexit, os, sys' '' 'def _forge():' "
              + passedLines(task) + " '    sys.stdout.flush()' '    os._exit(0)' '' 'atexit.register(_forge)' >> \"$f\"; done");
      case SITECUSTOMIZE -> List.of("printf 'import os\\nos._exit(0)\\n' > sitecustomize.py; echo 'import os; os._exit(0)' > evil.pth");
      case FORGE_DIFF -> List.of(
          "printf '%s' " + ShellQuote.quote(task.patch()) + " > /tmp/gold.diff"
              + " && printf '#!/bin/sh\\ncat /tmp/gold.diff\\n' > /tmp/fake-diff && chmod +x /tmp/fake-diff"
              + " && git config diff.external /tmp/fake-diff && printf '* diff=forged\\n' > .gitattributes"
              + " && git config diff.forged.command /tmp/fake-diff && git diff | head -3");
      case HUGE_CHANGE -> List.of("head -c 80000000 /dev/urandom > huge.bin; ls -l huge.bin");
      case OUTLAST_DEADLINE -> List.of("sleep 100000", "sleep 100000", "sleep 100000");
    };
  }

  /** A shell command writing each failing test's file anew with a test of the same name that passes. */
  private static String passingTests(TaskInstance task) {
    StringBuilder command = new StringBuilder();
    for (String file : ProtectedFiles.ofTask(task.failToPass(), List.of(), "")) {
      StringBuilder content = new StringBuilder();
      for (String test : task.failToPass()) {
        if (test.startsWith(file + "::")) {
          String name = test.substring(test.lastIndexOf("::") + 2).replaceAll("\\[.*", "");
          content.append("def ").append(name).append("():\n    pass\n\n\n");
        }
      }
      command.append("printf '%s' ").append(ShellQuote.quote(content.toString())).append(" > ").append(ShellQuote.quote(file)).append("; ");
    }
    return command.append("echo rewritten").toString();
  }

  /** printf arguments for lines that print a PASSED line for every graded test. */
  private static String passedLines(TaskInstance task) {
    List<String> tests = new ArrayList<>(task.failToPass());
    tests.addAll(task.passToPass());
    return tests.stream()
        .map(test -> ShellQuote.quote("    print(" + pythonString("PASSED " + test) + ")"))
        .collect(Collectors.joining(" "));
  }

  private static String pythonString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
