package dev.crucible.jobs;

import dev.crucible.data.RunLayout;
import dev.crucible.jobs.report.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crucible report}. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one self-contained HTML page of a run directory (pipeline, RL, rollout or eval modes run):",
      "time per stage, held-out rates per stage's model, learning curves, resolve rates, modes, throughput,",
      "cost, the localization funnel, and every episode with its turns. Charts are inline SVG; the page",
      "loads nothing from the network."
    })
final class ReportCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "RUN", description = "The run directory.")
  Path run;

  @Option(names = "--out", paramLabel = "FILE", description = "Where the page goes (default: RUN/report.html).")
  Path out;

  @Option(names = "--price-per-hour", paramLabel = "PRICE", defaultValue = "0",
      description = "What an hour of the machines costs, for the cost per resolved episode (default: none shown).")
  double pricePerHour;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    if (!Files.isDirectory(run)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "RUN: " + run + " is not a directory");
    }
    if (!(pricePerHour >= 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--price-per-hour must be 0 or more, got " + pricePerHour);
    }
    Path target = out != null ? out : run.resolve(RunLayout.REPORT);
    String html = new RunReport(run, new Configuration(), pricePerHour).html();
    try {
      if (target.toAbsolutePath().getParent() != null) {
        Files.createDirectories(target.toAbsolutePath().getParent());
      }
      Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
      Files.writeString(partial, html);
      Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    spec.commandLine().getOut().println("report: " + target.toAbsolutePath() + " (" + html.length() + " characters)");
    spec.commandLine().getOut().flush();
  }
}
