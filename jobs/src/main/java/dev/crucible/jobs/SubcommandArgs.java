package dev.crucible.jobs;

/** Helps the {@code *Job} entry points run their subcommand. */
final class SubcommandArgs {
  private SubcommandArgs() {}

  static String[] prepend(String subcommand, String[] args) {
    String[] withCommand = new String[args.length + 1];
    withCommand[0] = subcommand;
    System.arraycopy(args, 0, withCommand, 1, args.length);
    return withCommand;
  }
}
