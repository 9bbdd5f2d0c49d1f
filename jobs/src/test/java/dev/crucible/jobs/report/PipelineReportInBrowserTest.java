package dev.crucible.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The report of a real pipeline run, opened in headless Chromium: CI runs the README's main command, then
 * this test with {@code -Dcrucible.report=runs/local/report.html}. Skipped without that property.
 */
class PipelineReportInBrowserTest {
  static final Path SCREENSHOT = Path.of("target/pipeline-report-screenshot.png");

  @Test
  void theMainCommandsReportShowsEveryStageAndDrawsEveryChart() throws Exception {
    String given = System.getProperty("crucible.report");
    Assumptions.assumeTrue(given != null, "no -Dcrucible.report=PAGE given");
    Path page = Path.of(given).toAbsolutePath();
    String html = Files.readString(page);
    assertThat(html).contains("Pipeline stages", "Held-out tasks, per stage's model", "sft: optimizer steps", "dpo: optimizer steps",
        "grpo: iterations", "Modes the meta-controller chose", "Modes against the oracle", "Throughput and cost", "Localization funnel");
    // The modes stage: every fixed mode, the oracle and the controller grpo left, scored on the held-out tasks.
    assertThat(html).containsPattern("<tr><td>oracle</td><td>[0-9.]+</td><td>[0-9.]+</td><td>-?[0-9.]+</td><td>0\\.0000</td></tr>")
        .containsPattern("<tr><td>auto</td>").containsPattern("<tr><td>deep</td>");
    assertThat(ReportInBrowser.check(page, SCREENSHOT)).as("charts drawn").isGreaterThanOrEqualTo(10);
  }
}
