package dev.crucible.jobs;

/** spark-submit entry point of {@code crucible rollout}. */
public final class RolloutJob {
  private RolloutJob() {}

  public static void main(String[] args) {
    CrucibleCommand.main(SubcommandArgs.prepend("rollout", args));
  }
}
