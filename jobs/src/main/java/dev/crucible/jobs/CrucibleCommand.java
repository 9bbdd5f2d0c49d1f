package dev.crucible.jobs;

import dev.crucible.data.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The {@code crucible} command and its subcommands. */
@Command(
    name = "crucible",
    mixinStandardHelpOptions = true,
    version = "crucible 0.1.0",
    description = "Distributed reinforcement learning for software-engineering agents.",
    subcommands = {
      InspectCommand.class,
      BenchCommand.class,
      PipelineCommand.class,
      ImagesCommand.class,
      EvaluateCommand.class,
      EvalCommand.class,
      ImportCommand.class,
      ReportCommand.class,
      TasksCommand.class,
      RolloutCommand.class,
      SandboxCommand.class,
      TrainCommand.class,
      PlanCommand.class,
      ServeCommand.class,
      TokenizerCommand.class,
      K8sCommand.class
    })
public final class CrucibleCommand implements Runnable {
  /** Exit code for bad input files or configs, and for work that failed. */
  public static final int EXIT_FAILURE = 1;
  /** Exit code for unknown options and bad option values. */
  public static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line: usage errors print one line and exit with {@link #EXIT_USAGE};
   * {@link InvalidInputException} prints its problem on one line, or several under a heading, and
   * exits with {@link #EXIT_FAILURE}.
   */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new CrucibleCommand());
    commandLine.setParameterExceptionHandler(
        (error, args) -> {
          CommandLine command = error.getCommandLine();
          PrintWriter err = command.getErr();
          err.println(
              command.getCommandName()
                  + ": "
                  + error.getMessage()
                  + " (see '"
                  + command.getCommandSpec().qualifiedName()
                  + " --help')");
          return EXIT_USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (error, command, parseResult) -> {
          PrintWriter err = command.getErr();
          if (error instanceof InvalidInputException invalid && invalid.problems().size() == 1) {
            err.println("error: " + invalid.getMessage());
          } else if (error instanceof InvalidInputException invalid) {
            err.println("error: invalid input");
            invalid.getMessage().lines().forEach(line -> err.println("  " + line));
          } else if (error instanceof IllegalArgumentException
              || error instanceof dev.crucible.rollout.sandbox.SandboxException
              || error instanceof dev.crucible.rollout.images.ImageBuildException
              || error instanceof dev.crucible.rollout.tasks.TaskGenerationException) {
            err.println("error: " + error.getMessage());
          } else {
            err.println("error: " + error);
            error.printStackTrace(err);
          }
          err.flush();
          return EXIT_FAILURE;
        });
    return commandLine;
  }
}
