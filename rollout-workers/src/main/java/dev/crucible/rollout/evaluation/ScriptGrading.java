package dev.crucible.rollout.evaluation;

/**
 * How a row run by its own eval script ({@link EvalScriptEvaluation}) is graded. The patch's code runs as
 * root in the row's image and prints into the log that is graded, so the official way can be gamed: fine
 * for measuring a model as the leaderboard does, not for paying it a reward.
 */
public enum ScriptGrading {
  /** As SWE-bench's harness grades: the patch as it is, the log as it is; reports identical to the official ones. */
  OFFICIAL,
  /**
   * For rewards: the patch's sections touching files the grading depends on ({@link
   * dev.crucible.reward.grading.ProtectedFiles}) are left out before it is applied, and a pytest test
   * command writes a JUnit report to a path chosen at random for the run, which must back every pass the
   * log shows, with the recorded exit code ({@link dev.crucible.reward.grading.RunEvidence}).
   */
  HARDENED
}
