package dev.crucible.rollout.tasks;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A candidate that was kept: the mutated file and the tests it breaks.
 *
 * @param candidate the bug
 * @param mutatedSource the whole mutated file
 * @param failing kept tests that fail with the bug, sorted
 * @param messages pytest's one-line failure message of each failing test
 */
public record TrialResult(MutationCandidate candidate, String mutatedSource, List<String> failing, Map<String, String> messages)
    implements Serializable {

  public TrialResult {
    failing = List.copyOf(failing);
    messages = Map.copyOf(messages);
  }
}
