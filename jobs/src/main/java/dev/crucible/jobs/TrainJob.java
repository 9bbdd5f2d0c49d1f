package dev.crucible.jobs;

/** spark-submit entry point of {@code crucible train}: the first argument is sft, dpo, grpo, rloo or ppo. */
public final class TrainJob {
  private TrainJob() {}

  public static void main(String[] args) {
    CrucibleCommand.main(SubcommandArgs.prepend("train", args));
  }
}
