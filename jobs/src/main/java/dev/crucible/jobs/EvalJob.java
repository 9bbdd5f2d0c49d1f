package dev.crucible.jobs;

/** spark-submit entry point of {@code crucible eval}. */
public final class EvalJob {
  private EvalJob() {}

  public static void main(String[] args) {
    CrucibleCommand.main(SubcommandArgs.prepend("eval", args));
  }
}
