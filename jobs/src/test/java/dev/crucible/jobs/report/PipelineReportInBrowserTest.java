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
        "grpo: iterations", "Modes the meta-controller chose", "Throughput and cost", "Localization funnel");
    assertThat(ReportInBrowser.check(page, SCREENSHOT)).as("charts drawn").isGreaterThanOrEqualTo(10);
  }
}
