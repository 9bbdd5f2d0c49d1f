package dev.crucible.rollout.tasks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.crucible.reward.parsers.PytestLogParser;
import dev.crucible.reward.parsers.TestStatus;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tries one candidate bug in a sandbox at the original code, and puts the code back after: kept when
 * the suite still reports every passing test, none hangs, and at least one fails.
 */
public final class CandidateTrial {
  /** The factory's own runs print wide summary lines, so assertion messages reach the problem statement whole. */
  static final String WIDE_TEST_COMMAND = "COLUMNS=240 " + TaskGenerator.TEST_COMMAND;

  private static final Pattern FAILURE_LINE = Pattern.compile("(?m)^(?:FAILED|ERROR) (\\S+) - (.*)$");
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

  private CandidateTrial() {}

  /** Copies the mutator into the sandbox; returns its path there. */
  public static String installMutator(Sandbox sandbox) {
    try (InputStream in = CandidateTrial.class.getResourceAsStream("mutator.py")) {
      return sandbox.writeScratchFile("mutator.py", in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("mutator.py is missing from the jar", e);
    }
  }

  /** The trial of {@code candidate}; null when it is not kept. */
  public static TrialResult run(Sandbox sandbox, String mutator, MutationCandidate candidate, TrialContext context) {
    try {
      if (!sandbox.exec("python3 " + mutator + " apply . " + candidate.id(), STEP_TIMEOUT).succeeded()) {
        return null;
      }
      String mutated = new String(sandbox.readFile(candidate.file()), UTF_8);
      ExecResult run = sandbox.exec(WIDE_TEST_COMMAND, context.testTimeout());
      if (run.timedOut()) {
        return null;
      }
      String output = run.stdout() + "\n" + run.stderr();
      Map<String, TestStatus> statuses = new PytestLogParser().parse(output);
      if (!statuses.keySet().containsAll(context.passing())) {
        return null;
      }
      List<String> failing = context.passing().stream().filter(test -> statuses.get(test).isFailure()).sorted().toList();
      if (failing.isEmpty()) {
        return null;
      }
      Map<String, String> messages = new LinkedHashMap<>();
      Matcher failure = FAILURE_LINE.matcher(output);
      while (failure.find()) {
        messages.putIfAbsent(failure.group(1), failure.group(2).strip());
      }
      return new TrialResult(candidate, mutated, failing, messages);
    } finally {
      sandbox.exec("git checkout -q -- . && git clean -qfd", STEP_TIMEOUT);
    }
  }
}
