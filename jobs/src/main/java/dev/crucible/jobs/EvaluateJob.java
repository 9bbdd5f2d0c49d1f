package dev.crucible.jobs;

/**
 * spark-submit entry point of {@code crucible evaluate}:
 * {@code spark-submit --class dev.crucible.jobs.EvaluateJob crucible-cluster.jar --tasks … --predictions … --run-id … --out …}.
 */
public final class EvaluateJob {
  private EvaluateJob() {}

  public static void main(String[] args) {
    CrucibleCommand.main(SubcommandArgs.prepend("evaluate", args));
  }
}
