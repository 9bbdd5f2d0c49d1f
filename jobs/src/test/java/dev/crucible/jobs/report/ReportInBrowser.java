package dev.crucible.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A report page as a browser shows it: no console errors, exceptions or failed loads, and every chart drew its series. */
final class ReportInBrowser {
  /**
   * Per chart: its title, its size on the page, how many of its series marks have a non-empty box, and how
   * many legend entries overlap another, as the browser laid them out.
   */
  private static final String DRAWN_CHARTS = "Array.from(document.querySelectorAll('svg.chart')).map(svg => ({"
      + "title: svg.querySelector('text').textContent, width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height,"
      + "marks: Array.from(svg.querySelectorAll('.series')).filter(mark => { const box = mark.getBBox(); return box.width > 0 || box.height > 0; }).length,"
      + "overlaps: (boxes => boxes.filter((a, i) => boxes.slice(i + 1).some(b => a.x < b.x + b.width && b.x < a.x + a.width"
      + " && a.y < b.y + b.height && b.y < a.y + a.height)).length)(Array.from(svg.querySelectorAll('.legend')).map(text => text.getBBox()))}))";

  private ReportInBrowser() {}

  /** Opens {@code page} in headless Chromium, asserts the above, keeps its screenshot; returns the number of charts. */
  static int check(Path page, Path screenshot) throws Exception {
    String html = Files.readString(page);
    int charts = html.split("<svg class=\"chart\"", -1).length - 1;
    JsonNode drawn;
    List<HeadlessChromium.Problem> problems;
    try (HeadlessChromium chromium = HeadlessChromium.start()) {
      chromium.open(page);
      drawn = chromium.evaluate(DRAWN_CHARTS);
      chromium.screenshot(screenshot);
      problems = chromium.problems();
    }
    assertThat(problems).as("console errors, exceptions and failed loads").isEmpty();
    assertThat(drawn).as("the browser found every chart").hasSize(charts);
    for (JsonNode chart : drawn) {
      assertThat(chart.path("width").asDouble()).as("%s laid out", chart.path("title").asText()).isPositive();
      assertThat(chart.path("height").asDouble()).as("%s laid out", chart.path("title").asText()).isPositive();
      assertThat(chart.path("marks").asInt()).as("%s drew its series", chart.path("title").asText()).isPositive();
      assertThat(chart.path("overlaps").asInt()).as("%s: legend entries over one another", chart.path("title").asText()).isZero();
    }
    assertThat(Files.size(screenshot)).as("the screenshot, kept for CI").isGreaterThan(10_000);
    return charts;
  }
}
