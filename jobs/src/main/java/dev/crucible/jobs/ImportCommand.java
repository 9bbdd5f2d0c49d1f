package dev.crucible.jobs;

import dev.crucible.data.imports.SweAgentTrajectory;
import dev.crucible.jobs.imports.ImportedRun;
import dev.crucible.jobs.imports.OpenHandsImport;
import dev.crucible.jobs.imports.SweAgentImport;
import dev.crucible.jobs.imports.SweSmithImport;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crucible import}. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Turns other agents' trajectories into a run's trajectory table (RUN/trajectories/iteration=0) that",
      "train sft reads. FORMAT swe-agent: SWE-agent's .traj files (files, or folders searched for them);",
      "tool calls that match Crucible's tools (bash, str_replace_editor, submit) become its calls, the rest",
      "stay text. With --reports, each episode is graded by the harness's report.json of its submission.",
      "FORMAT swe-smith: SWE-smith's published trajectory rows (Parquet, a folder of shards, or .jsonl),",
      "graded by their resolved column. FORMAT openhands: OpenHands' SWE-bench output.jsonl files (its event",
      "streams); run, read, edit, write and finish become Crucible's calls, the rest text; graded by",
      "--reports, else by OpenHands' own evaluation when the lines carry it."
    })
final class ImportCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "FORMAT", description = "swe-agent, swe-smith or openhands.")
  String format;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILES", description = "swe-agent: .traj files, or folders holding them; swe-smith: Parquet or .jsonl files, or folders of Parquet shards;"
      + " openhands: output.jsonl files.")
  List<Path> files;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run folder to create; its name is the run id.")
  Path out;

  @Option(
      names = "--reports",
      paramLabel = "DIR",
      description = "The harness's reports of these submissions: DIR/INSTANCE/report.json (logs/run_evaluation/RUN/MODEL, or crucible evaluate's OUT/RUN/MODEL).")
  Path reports;

  @Option(names = "--root", paramLabel = "PATH", description = "The repository's folder in the agent's containers (default: swe-agent "
      + SweAgentTrajectory.DEFAULT_ROOT + "; openhands each line's /workspace/OWNER__REPO__VERSION, else " + SweAgentTrajectory.DEFAULT_ROOT + ").")
  String root;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    ImportedRun.Summary summary = switch (format) {
      case SweAgentImport.SOURCE -> new SweAgentImport(root == null ? SweAgentTrajectory.DEFAULT_ROOT : root, reports, System.err).run(files, out);
      case OpenHandsImport.SOURCE -> new OpenHandsImport(root, reports, System.err).run(files, out);
      case SweSmithImport.SOURCE -> {
        if (reports != null) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--reports grades swe-agent and openhands files; swe-smith rows carry their resolved label");
        }
        yield new SweSmithImport(System.err).run(files, out);
      }
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown format '" + format + "'; known: swe-agent, swe-smith, openhands");
    };
    spec.commandLine().getOut().printf("import: %d episodes in %s%n", summary.episodes(), out);
    spec.commandLine().getOut().flush();
  }
}
