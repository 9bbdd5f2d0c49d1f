package dev.crucible.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Coordinates worked by hand: the plot spans x 64..624 and y 260 (bottom) .. 36 (top). */
class SvgChartTest {
  @Test
  void eachSeriesIsAPolylineOnTheSharedScale() {
    String svg = SvgChart.lines("reward", "iteration", List.of(
        new SvgChart.Series("mean", List.of(new double[] {0, 0}, new double[] {1, 1}, new double[] {2, Double.NaN}, new double[] {2, 4})),
        new SvgChart.Series("<held out>", List.of(new double[] {1, 2}))));
    // x 0..2 -> 64..624; y 0..4 -> 260..36: (1, 1) -> (344, 204); the NaN point is left out.
    assertThat(svg).contains("data-series=\"mean\"", "points=\"64.0,260.0 344.0,204.0 624.0,36.0\"");
    assertThat(svg).as("a lone point is a dot, its name escaped").contains("<circle class=\"series\" data-series=\"&lt;held out&gt;\" cx=\"344.0\" cy=\"148.0\"");
    assertThat(svg).as("drawn first, under one other series: 3 px wider").contains("stroke-width=\"5\"").contains("r=\"3\"");
    assertThat(svg).startsWith("<svg").endsWith("</svg>").doesNotContain("<script");
  }

  @Test
  void nothingFiniteDrawsANoteAndAFlatLineGetsARange() {
    assertThat(SvgChart.lines("loss", "step", List.of(new SvgChart.Series("loss", List.of(new double[] {0, Double.NaN})))))
        .isEqualTo("<p class=\"empty\">loss: nothing to draw.</p>");
    // y all 0: the range becomes -1..1, so the line sits in the middle (148).
    assertThat(SvgChart.lines("flat", "step", List.of(new SvgChart.Series("zero", List.of(new double[] {0, 0}, new double[] {1, 0})))))
        .contains("points=\"64.0,148.0 624.0,148.0\"");
  }

  @Test
  void seriesThatCoincideStayVisibleAsBandsAroundTheLastDrawn() {
    List<double[]> same = List.of(new double[] {0, 1}, new double[] {1, 0});
    String svg = SvgChart.rates("rates", "stage", List.of(new SvgChart.Series("a", same), new SvgChart.Series("b", same),
        new SvgChart.Series("c", same), new SvgChart.Series("d", same), new SvgChart.Series("e", same)));
    // Widths 2 + 3 × (series drawn over it, at most 3): a and b 11, c 8, d 5, e 2.
    List<String> widths = java.util.Arrays.stream(svg.split("stroke-width=\"")).skip(1).map(part -> part.substring(0, part.indexOf('"'))).toList();
    assertThat(widths).containsExactly("11", "11", "8", "5", "2");
  }

  @Test
  void aRateChartSpansZeroToOne() {
    // y 0..1 -> 260..36: a share of 0 lies on the x axis, 0.5 half way (148).
    assertThat(SvgChart.rates("resolve rate", "iteration", List.of(new SvgChart.Series("r", List.of(new double[] {0, 0}, new double[] {1, 0.5})))))
        .contains("points=\"64.0,260.0 624.0,148.0\"");
  }

  @Test
  void markupIsEscapedAndControlCharactersShownAsReplacements() {
    assertThat(Html.escape("a<b>&\"c'\u0001\n\u007f")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;\uFFFD\n\uFFFD");
  }
}
