package dev.crucible.jobs;

/**
 * spark-submit entry point of {@code crucible pipeline}:
 * {@code spark-submit --class dev.crucible.jobs.PipelineJob crucible-cluster.jar --config FILE}.
 */
public final class PipelineJob {
  private PipelineJob() {}

  public static void main(String[] args) {
    CrucibleCommand.main(SubcommandArgs.prepend("pipeline", args));
  }
}
