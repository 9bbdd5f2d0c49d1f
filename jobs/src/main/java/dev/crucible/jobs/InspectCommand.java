package dev.crucible.jobs;

import dev.crucible.jobs.inspect.Inspector;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crucible inspect PATH}. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Summarizes a run directory, a trajectory table or a task file (JSONL or Parquet):",
      "episodes by outcome, mean reward and its components, tokens and steps, per iteration;",
      "or tasks per repository."
    })
final class InspectCommand implements Runnable {
  @Parameters(paramLabel = "PATH", description = "runs/ID, a trajectory table or part file, or a task file. Any Hadoop path (file://, hdfs://, s3a://).")
  String path;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(new Inspector(new Configuration()).inspect(new Path(path)));
    spec.commandLine().getOut().flush();
  }
}
