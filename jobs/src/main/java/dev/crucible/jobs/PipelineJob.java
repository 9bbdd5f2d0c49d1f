package dev.crucible.jobs;

/**
 * spark-submit entry point of {@code crucible pipeline}:
 * {@code spark-submit --class dev.crucible.jobs.PipelineJob crucible-cluster.jar --config FILE}.
 */
public final class PipelineJob {
  private PipelineJob() {}

  public static void main(String[] args) {
    String[] withCommand = new String[args.length + 1];
    withCommand[0] = "pipeline";
    System.arraycopy(args, 0, withCommand, 1, args.length);
    CrucibleCommand.main(withCommand);
  }
}
