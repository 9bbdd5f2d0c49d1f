package dev.crucible.jobs;

import dev.crucible.jobs.pipeline.Pipeline;
import dev.crucible.jobs.pipeline.PipelineConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible pipeline --config FILE}. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole loop described by a YAML config. Stages that exist today: tasks (load,",
      "validate and store the task file), sample_run (a Spark job writing synthetic trajectories",
      "through the trajectory store) and inspect (the run's summary)."
    })
final class PipelineCommand implements Runnable {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Pipeline config, e.g. examples/local.yaml.")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    PipelineConfig settings = PipelineConfig.load(config);
    String summary = new Pipeline(settings, System.err).run();
    spec.commandLine().getOut().print(summary);
    spec.commandLine().getOut().flush();
  }
}
