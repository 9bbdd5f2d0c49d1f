package dev.crucible.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, with no script and nothing fetched: each series one {@code polyline}
 * (a lone point a {@code circle}), the axes' ranges labelled at their ends. Points that are not finite
 * are left out. Series drawn earlier are wider, so where series coincide each still shows as a band
 * around the ones drawn over it.
 */
public final class SvgChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 300;
  static final int LEFT = 64;
  static final int RIGHT = 16;
  /** About the width of one character of the legend's 16 px sans-serif, and the space between entries. */
  private static final int LEGEND_CHARACTER = 9;
  private static final int LEGEND_GAP = 20;
  /** Lines of the legend: a 16 px font's box is about 18 px high. */
  private static final int LEGEND_LINE = 20;
  static final int TOP = 36;
  static final int BOTTOM = 40;
  /** Series a line widens for at most, so a chart of many series keeps thin lines. */
  private static final int MAX_BANDS = 3;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

  private SvgChart() {}

  /** One named line: its points as {x, y}. */
  public record Series(String name, List<double[]> points) {}

  /** The chart, its y axis spanning the data, or a note saying there is nothing to draw when no series has a finite point. */
  public static String lines(String title, String xLabel, List<Series> series) {
    return lines(title, xLabel, series, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
  }

  /** The chart of shares, its y axis from 0 to 1 (wider only if the data are). */
  public static String rates(String title, String xLabel, List<Series> series) {
    return lines(title, xLabel, series, 0, 1);
  }

  private static String lines(String title, String xLabel, List<Series> series, double yFrom, double yTo) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = yFrom;
    double yMax = yTo;
    boolean any = false;
    for (Series line : series) {
      for (double[] point : finite(line.points())) {
        any = true;
        xMin = Math.min(xMin, point[0]);
        xMax = Math.max(xMax, point[0]);
        yMin = Math.min(yMin, point[1]);
        yMax = Math.max(yMax, point[1]);
      }
    }
    if (!any) {
      return "<p class=\"empty\">" + Html.escape(title) + ": nothing to draw.</p>";
    }
    if (xMax == xMin) {
      xMin -= 0.5;
      xMax += 0.5;
    }
    if (yMax == yMin) {
      yMin -= yMin == 0 ? 1 : Math.abs(yMin) * 0.1;
      yMax += yMax == 0 ? 1 : Math.abs(yMax) * 0.1;
    }
    Scale x = new Scale(xMin, xMax, LEFT, WIDTH - RIGHT);
    Scale y = new Scale(yMin, yMax, HEIGHT - BOTTOM, TOP);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">",
        WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-weight=\"bold\">%s</text>", LEFT, Html.escape(title)));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT,
        HEIGHT - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", LEFT, TOP, LEFT, HEIGHT - BOTTOM));
    svg.append(label(LEFT - 4, HEIGHT - BOTTOM, "end", number(yMin)));
    svg.append(label(LEFT - 4, TOP + 4, "end", number(yMax)));
    svg.append(label(LEFT, HEIGHT - BOTTOM + 16, "start", number(xMin)));
    svg.append(label(WIDTH - RIGHT, HEIGHT - BOTTOM + 16, "end", number(xMax)));
    svg.append(label((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6, "middle", xLabel));
    int legendX = LEFT + 8;
    int legendY = TOP + 14;
    for (int i = 0; i < series.size(); i++) {
      Series line = series.get(i);
      String colour = COLOURS[i % COLOURS.length];
      List<double[]> points = finite(line.points());
      String name = Html.escape(line.name());
      int under = Math.min(series.size() - 1 - i, MAX_BANDS); // Series drawn over this one.
      if (points.size() == 1) {
        svg.append(String.format(Locale.ROOT, "<circle class=\"series\" data-series=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"/>", name,
            x.at(points.get(0)[0]), y.at(points.get(0)[1]), 3 + 2 * under, colour));
      } else if (points.size() > 1) {
        StringBuilder coordinates = new StringBuilder();
        for (double[] point : points) {
          coordinates.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(point[0]), y.at(point[1])));
        }
        svg.append(String.format(Locale.ROOT,
            "<polyline class=\"series\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%d\" points=\"%s\"/>", name, colour,
            2 + 3 * under, coordinates.toString().strip()));
      }
      int legendWidth = LEGEND_CHARACTER * line.name().length() + LEGEND_GAP; // Sized by the name, so long names do not run together.
      if (legendX + legendWidth > WIDTH - RIGHT && legendX > LEFT + 8) {
        legendX = LEFT + 8;
        legendY += LEGEND_LINE;
      }
      svg.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>", legendX, legendY, colour, name));
      legendX += legendWidth;
    }
    return svg.append("</svg>").toString();
  }

  private static List<double[]> finite(List<double[]> points) {
    List<double[]> finite = new ArrayList<>();
    for (double[] point : points) {
      if (Double.isFinite(point[0]) && Double.isFinite(point[1])) {
        finite.add(point);
      }
    }
    return finite;
  }

  private static String label(int x, int y, String anchor, String text) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\">%s</text>", x, y, anchor, Html.escape(text));
  }

  private static String number(double value) {
    return Math.abs(value) >= 1000 || value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.4g", value);
  }

  /** A linear map from data to pixels. */
  private record Scale(double from, double to, double pixelFrom, double pixelTo) {
    double at(double value) {
      return pixelFrom + (value - from) / (to - from) * (pixelTo - pixelFrom);
    }
  }
}
