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
      "Runs the whole loop described by a YAML config, stage by stage: tasks (a file, or generated",
      "with a held-out split), rollout (the expert's episodes), sft, dpo and grpo (each section the",
      "config its own train command takes), held_out (every stage's model on the held-out tasks) and",
      "report. A rerun of the same config resumes where it stopped; it ends with the time per stage."
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
