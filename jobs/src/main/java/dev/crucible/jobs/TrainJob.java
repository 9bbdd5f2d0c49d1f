package dev.crucible.jobs;

/** spark-submit entry point of {@code crucible train}: the first argument is sft, dpo, grpo or rloo. */
public final class TrainJob {
  private TrainJob() {}

  public static void main(String[] args) {
    CrucibleCommand.main(SubcommandArgs.prepend("train", args));
  }
}
