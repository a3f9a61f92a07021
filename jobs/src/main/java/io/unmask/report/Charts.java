package io.unmask.report;

import static io.unmask.report.Html.esc;
import static io.unmask.report.Html.xy;

import io.unmask.report.ReportData.Bin;
import io.unmask.report.ReportData.Importance;
import io.unmask.report.ReportData.PrCurve;
import io.unmask.report.ReportData.PrPoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's charts as inline SVG, built from plain records (no Spark, no script): the score
 * histogram, the precision-recall curves and horizontal bar charts. Every text from the data goes
 * through {@link Html#esc}. Elements carry classes ({@code hist-bar}, {@code pr-line}, {@code
 * pr-pt}, {@code imp-bar}, ...) so that a test in a browser can count what was drawn.
 */
public final class Charts {
  /** Colours for groups (families, curves), in order of first appearance. */
  static final String[] PALETTE = {
    "#3366cc", "#e6550d", "#2ca02c", "#9467bd", "#8c564b", "#d62728", "#17becf", "#7f7f7f"
  };

  private Charts() {}

  /** A "nice" tick step (1, 2 or 5 × 10^k) giving about {@code ticks} ticks up to {@code max}. */
  static double niceStep(double max, int ticks) {
    if (max <= 0) {
      return 1;
    }
    double raw = max / ticks;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / mag;
    double step = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
    return Math.max(1e-12, step * mag);
  }

  /** Colour of a score in [0, 1]: pale yellow through orange to dark red. */
  public static String scoreColour(double score) {
    double s = Double.isNaN(score) ? 0 : Math.max(0, Math.min(1, score));
    int[] a;
    int[] b;
    double t;
    if (s < 0.5) {
      a = new int[] {0xff, 0xf7, 0xbc};
      b = new int[] {0xfd, 0x8d, 0x3c};
      t = s / 0.5;
    } else {
      a = new int[] {0xfd, 0x8d, 0x3c};
      b = new int[] {0xa5, 0x00, 0x26};
      t = (s - 0.5) / 0.5;
    }
    return String.format(
        "#%02x%02x%02x",
        Math.round(a[0] + (b[0] - a[0]) * t),
        Math.round(a[1] + (b[1] - a[1]) * t),
        Math.round(a[2] + (b[2] - a[2]) * t));
  }

  /**
   * The score histogram: one bar per bin ({@code hist-bar}, with a hover title), and under the axis
   * a marker per bin holding confirmed accounts ({@code hist-mark}).
   *
   * @param log draw the counts on a log scale (log10(1 + count))
   */
  public static String histogram(List<Bin> bins, boolean log, String title) {
    int w = 760;
    int h = 290;
    int left = 64;
    int right = 16;
    int top = 16;
    int bottom = 76;
    double pw = w - left - right;
    double ph = h - top - bottom;
    long max = bins.stream().mapToLong(Bin::count).max().orElse(0);
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "<svg class=\"chart hist%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\""
                + " aria-label=\"%s\">",
            log ? " log" : "", w, h, w, h, esc(title)));
    s.append("<title>").append(esc(title)).append("</title>");
    double yMax = log ? Math.log10(1 + Math.max(1, max)) : Math.max(1, max);
    // y axis and grid
    if (log) {
      for (long t = 1; t <= Math.max(1, max) * 10L && t > 0; t *= 10) {
        double v = Math.log10(1 + t);
        if (v > yMax * 1.0001) {
          break;
        }
        double y = top + ph - v / yMax * ph;
        gridLine(s, left, left + pw, y, Html.count(t));
      }
    } else {
      double step = niceStep(max, 5);
      for (double t = 0; t <= max + 1e-9; t += step) {
        double y = top + ph - t / yMax * ph;
        gridLine(s, left, left + pw, y, Html.count(Math.round(t)));
      }
    }
    // bars
    for (Bin b : bins) {
      double x0 = left + b.lo() * pw;
      double x1 = left + b.hi() * pw;
      double v = log ? Math.log10(1 + b.count()) : b.count();
      double bh = yMax <= 0 ? 0 : v / yMax * ph;
      s.append("<rect class=\"hist-bar\" x=\"")
          .append(xy(x0 + 0.5))
          .append("\" y=\"")
          .append(xy(top + ph - bh))
          .append("\" width=\"")
          .append(xy(Math.max(0.5, x1 - x0 - 1)))
          .append("\" height=\"")
          .append(xy(bh))
          .append("\" fill=\"#4a6fa5\"><title>")
          .append(
              esc(
                  "score "
                      + Html.num(b.lo(), 2)
                      + "–"
                      + Html.num(b.hi(), 2)
                      + ": "
                      + Html.count(b.count())
                      + " accounts ("
                      + b.confirmed()
                      + " confirmed concealed, "
                      + b.genuine()
                      + " confirmed genuine)"))
          .append("</title></rect>");
    }
    // x axis
    double axisY = top + ph;
    s.append(line(left, axisY, left + pw, axisY, "#333", 1));
    for (int i = 0; i <= 10; i++) {
      double x = left + i / 10.0 * pw;
      s.append(line(x, axisY, x, axisY + 4, "#333", 1));
      s.append(text(x, axisY + 16, "middle", 11, Html.num(i / 10.0, 1)));
    }
    s.append(text(left + pw / 2, axisY + 30, "middle", 12, "score"));
    // confirmed markers
    double markY = axisY + 46;
    s.append(text(left - 6, markY + 4, "end", 10, "labelled"));
    for (Bin b : bins) {
      double cx = left + (b.lo() + b.hi()) / 2 * pw;
      if (b.confirmed() > 0) {
        s.append(mark(cx, markY - 5, "#a50026", b.confirmed(), "confirmed concealed", b));
      }
      if (b.genuine() > 0) {
        s.append(mark(cx, markY + 7, "#2ca02c", b.genuine(), "confirmed genuine", b));
      }
    }
    s.append(legendDot(left + pw - 250, h - 20, "#a50026", "confirmed concealed in the bin"));
    s.append(legendDot(left + pw - 250, h - 6, "#2ca02c", "confirmed genuine in the bin"));
    s.append(
        String.format(
            "<text x=\"14\" y=\"%s\" font-size=\"12\" transform=\"rotate(-90 14 %s)\""
                + " text-anchor=\"middle\">%s</text>",
            xy(top + ph / 2), xy(top + ph / 2), esc(log ? "accounts (log scale)" : "accounts")));
    s.append("</svg>");
    return s.toString();
  }

  private static String mark(double cx, double cy, String colour, long n, String what, Bin b) {
    return "<g class=\"hist-mark\"><circle cx=\""
        + xy(cx)
        + "\" cy=\""
        + xy(cy)
        + "\" r=\"4\" fill=\""
        + colour
        + "\"><title>"
        + esc(n + " " + what + " with score " + Html.num(b.lo(), 2) + "–" + Html.num(b.hi(), 2))
        + "</title></circle></g>";
  }

  /**
   * Precision-recall curves as step lines ({@code pr-line}, one {@code pr-pt} circle per point);
   * the area under each step line is its average precision.
   */
  public static String prCurves(List<PrCurve> curves) {
    int w = 520;
    int h = 400;
    int left = 56;
    int right = 16;
    int top = 16;
    int bottom = 110;
    double pw = w - left - right;
    double ph = h - top - bottom;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "<svg class=\"chart pr\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\""
                + " aria-label=\"precision-recall curves\">",
            w, h, w, h));
    s.append("<title>precision-recall curves</title>");
    for (int i = 0; i <= 10; i += 2) {
      double v = i / 10.0;
      double y = top + ph - v * ph;
      gridLine(s, left, left + pw, y, Html.num(v, 1));
      double x = left + v * pw;
      s.append(line(x, top + ph, x, top + ph + 4, "#333", 1));
      s.append(text(x, top + ph + 16, "middle", 11, Html.num(v, 1)));
    }
    s.append(line(left, top + ph, left + pw, top + ph, "#333", 1));
    s.append(line(left, top, left, top + ph, "#333", 1));
    s.append(text(left + pw / 2, top + ph + 32, "middle", 12, "recall (share of confirmed found)"));
    s.append(
        String.format(
            "<text x=\"14\" y=\"%s\" font-size=\"12\" transform=\"rotate(-90 14 %s)\""
                + " text-anchor=\"middle\">precision</text>",
            xy(top + ph / 2), xy(top + ph / 2)));
    int ci = 0;
    for (PrCurve c : curves) {
      String colour = PALETTE[ci % PALETTE.length];
      String dash = ci == 0 ? "" : " stroke-dasharray=\"6 3\"";
      List<PrPoint> pts = c.points();
      if (!pts.isEmpty()) {
        StringBuilder d = new StringBuilder();
        double prevR = 0;
        d.append("M")
            .append(xy(left))
            .append(" ")
            .append(xy(top + ph - pts.get(0).precision() * ph));
        for (PrPoint p : pts) {
          double y = top + ph - p.precision() * ph;
          d.append(" L").append(xy(left + prevR * pw)).append(" ").append(xy(y));
          d.append(" L").append(xy(left + p.recall() * pw)).append(" ").append(xy(y));
          prevR = p.recall();
        }
        s.append("<path class=\"pr-line\" data-points=\"")
            .append(pts.size())
            .append("\" d=\"")
            .append(d)
            .append("\" fill=\"none\" stroke=\"")
            .append(colour)
            .append("\" stroke-width=\"2\"")
            .append(dash)
            .append("/>");
        for (PrPoint p : pts) {
          s.append("<circle class=\"pr-pt\" cx=\"")
              .append(xy(left + p.recall() * pw))
              .append("\" cy=\"")
              .append(xy(top + ph - p.precision() * ph))
              .append("\" r=\"3\" fill=\"")
              .append(colour)
              .append("\"><title>")
              .append(
                  esc(
                      "score ≥ "
                          + Html.num(p.threshold(), 4)
                          + ": recall "
                          + Html.num(p.recall(), 3)
                          + ", precision "
                          + Html.num(p.precision(), 3)
                          + " ("
                          + c.negatives()
                          + ")"))
              .append("</title></circle>");
        }
      }
      double ly = top + ph + 54 + ci * 20;
      s.append(
          String.format(
              "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"2\"%s/>",
              xy(left), xy(ly - 4), xy(left + 26), xy(ly - 4), colour, dash));
      s.append(
          text(
              left + 32,
              ly,
              "start",
              12,
              "AP " + Html.num(c.averagePrecision(), 3) + " — negatives: " + c.negatives()));
      ci++;
    }
    s.append("</svg>");
    return s.toString();
  }

  /**
   * A horizontal bar chart, one row per item in the given order, coloured by group (legend when
   * there are several groups). Each bar has class {@code cls} and a hover title.
   */
  public static String bars(List<Importance> items, String cls, String title, String valueUnit) {
    int w = 760;
    int row = 20;
    int left = 300;
    int right = 90;
    int top = 8;
    Map<String, String> groups = new LinkedHashMap<>();
    for (Importance i : items) {
      if (i.group() != null) {
        groups.computeIfAbsent(i.group(), g -> PALETTE[groups.size() % PALETTE.length]);
      }
    }
    int legendRows = groups.size() > 1 ? (groups.size() + 3) / 4 : 0;
    int h = top + items.size() * row + 8 + legendRows * 18 + (legendRows > 0 ? 8 : 0);
    double pw = w - left - right;
    double max = items.stream().mapToDouble(i -> Math.abs(i.value())).max().orElse(0);
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "<svg class=\"chart bars %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " role=\"img\" aria-label=\"%s\">",
            esc(cls), w, h, w, h, esc(title)));
    s.append("<title>").append(esc(title)).append("</title>");
    int y = top;
    for (Importance i : items) {
      double bw = max <= 0 ? 0 : Math.abs(i.value()) / max * pw;
      String colour = i.group() == null ? PALETTE[0] : groups.get(i.group());
      String label = Html.shorten(i.name(), 44);
      s.append(text(left - 8, y + 14, "end", 12, label));
      s.append("<rect class=\"")
          .append(esc(cls))
          .append("\" x=\"")
          .append(left)
          .append("\" y=\"")
          .append(y + 3)
          .append("\" width=\"")
          .append(xy(Math.max(bw, 0.5)))
          .append("\" height=\"")
          .append(row - 6)
          .append("\" fill=\"")
          .append(colour)
          .append("\"><title>")
          .append(
              esc(
                  i.name()
                      + (i.group() == null ? "" : " (" + i.group() + ")")
                      + ": "
                      + Html.num(i.value(), 4)
                      + (valueUnit.isEmpty() ? "" : " " + valueUnit)))
          .append("</title></rect>");
      s.append(text(left + bw + 6, y + 14, "start", 11, Html.num(i.value(), 3)));
      y += row;
    }
    if (legendRows > 0) {
      int k = 0;
      for (Map.Entry<String, String> g : groups.entrySet()) {
        double lx = 10 + (k % 4) * 185;
        double ly = y + 18 + (k / 4) * 18;
        s.append(legendSwatch(lx, ly, g.getValue(), g.getKey(), 12));
        k++;
      }
    }
    s.append("</svg>");
    return s.toString();
  }

  // ---- small SVG pieces ----

  static String line(double x1, double y1, double x2, double y2, String colour, double width) {
    return "<line x1=\""
        + xy(x1)
        + "\" y1=\""
        + xy(y1)
        + "\" x2=\""
        + xy(x2)
        + "\" y2=\""
        + xy(y2)
        + "\" stroke=\""
        + esc(colour)
        + "\" stroke-width=\""
        + Html.num(width, 1)
        + "\"/>";
  }

  /** An SVG text element; {@code content} is escaped here. */
  static String text(double x, double y, String anchor, int size, String content) {
    return "<text x=\""
        + xy(x)
        + "\" y=\""
        + xy(y)
        + "\" font-size=\""
        + size
        + "\" text-anchor=\""
        + esc(anchor)
        + "\">"
        + esc(content)
        + "</text>";
  }

  static String legendSwatch(double x, double y, String colour, String label, int size) {
    return "<rect x=\""
        + xy(x)
        + "\" y=\""
        + xy(y - size + 1)
        + "\" width=\""
        + size
        + "\" height=\""
        + size
        + "\" fill=\""
        + esc(colour)
        + "\"/>"
        + text(x + size + 5, y, "start", 11, label);
  }

  private static String legendDot(double x, double y, String colour, String label) {
    return "<circle cx=\""
        + xy(x + 4)
        + "\" cy=\""
        + xy(y - 4)
        + "\" r=\"4\" fill=\""
        + esc(colour)
        + "\"/>"
        + text(x + 13, y, "start", 11, label);
  }

  private static void gridLine(StringBuilder s, double x0, double x1, double y, String label) {
    s.append(line(x0, y, x1, y, "#e3e3e3", 1));
    s.append(text(x0 - 6, y + 4, "end", 11, label));
  }
}
