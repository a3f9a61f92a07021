package io.unmask.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A deterministic force-directed layout (Fruchterman–Reingold) of a small graph, fitted into a box.
 * Nodes start evenly on a circle in account-id order, so the same graph always gets the same
 * picture whatever order its nodes and edges arrive in; there is no randomness. Several links
 * between one pair count once. Meant for tens of nodes (the report caps a drawing at 40).
 */
public final class ClusterLayout {
  /** A position in the box. */
  public record Point(double x, double y) {}

  static final int ITERATIONS = 300;

  private ClusterLayout() {}

  /**
   * Positions every node inside {@code [margin, width - margin] × [margin, height - margin]}.
   *
   * @param nodes node ids (duplicates ignored)
   * @param edges pairs of node ids; pairs naming unknown nodes or a node twice are ignored
   * @return node id to position, in node-id order
   */
  public static Map<String, Point> layout(
      Collection<String> nodes,
      Collection<? extends Map.Entry<String, String>> edges,
      double width,
      double height,
      double margin) {
    List<String> ids = new ArrayList<>(new TreeSet<>(nodes));
    int n = ids.size();
    Map<String, Point> out = new LinkedHashMap<>();
    if (n == 0) {
      return out;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(ids.get(i), i);
    }
    TreeSet<Long> pairs = new TreeSet<>();
    for (Map.Entry<String, String> e : edges) {
      Integer a = index.get(e.getKey());
      Integer b = index.get(e.getValue());
      if (a != null && b != null && !a.equals(b)) {
        pairs.add((long) Math.min(a, b) * n + Math.max(a, b));
      }
    }
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double angle = 2 * Math.PI * i / n;
      x[i] = Math.cos(angle);
      y[i] = Math.sin(angle);
    }
    if (n > 1) {
      relax(x, y, pairs, n);
    }
    fit(ids, x, y, width, height, margin, out);
    return out;
  }

  /** Fruchterman–Reingold in the unit square around the origin, with a linear cooling. */
  private static void relax(double[] x, double[] y, TreeSet<Long> pairs, int n) {
    double area = 4.0;
    double k = Math.sqrt(area / n);
    double[] dx = new double[n];
    double[] dy = new double[n];
    for (int it = 0; it < ITERATIONS; it++) {
      double temperature = 0.2 * (1.0 - (double) it / ITERATIONS) + 0.002;
      java.util.Arrays.fill(dx, 0);
      java.util.Arrays.fill(dy, 0);
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double ddx = x[i] - x[j];
          double ddy = y[i] - y[j];
          double d2 = ddx * ddx + ddy * ddy;
          if (d2 < 1e-12) {
            // Coincident nodes: push apart along a fixed direction chosen by index.
            double a = 2 * Math.PI * (i * 31 + j) / (n * 37.0);
            ddx = 1e-3 * Math.cos(a);
            ddy = 1e-3 * Math.sin(a);
            d2 = 1e-6;
          }
          double f = k * k / d2; // repulsion k²/d, as a factor of the unnormalised vector
          dx[i] += ddx * f;
          dy[i] += ddy * f;
          dx[j] -= ddx * f;
          dy[j] -= ddy * f;
        }
      }
      for (long p : pairs) {
        int i = (int) (p / n);
        int j = (int) (p % n);
        double ddx = x[i] - x[j];
        double ddy = y[i] - y[j];
        double d = Math.sqrt(ddx * ddx + ddy * ddy);
        double f = d / k; // attraction d²/k, as a factor of the unnormalised vector
        dx[i] -= ddx * f;
        dy[i] -= ddy * f;
        dx[j] += ddx * f;
        dy[j] += ddy * f;
      }
      for (int i = 0; i < n; i++) {
        // gravity keeps components that are not linked to each other close together
        dx[i] -= x[i] * 0.1 * k;
        dy[i] -= y[i] * 0.1 * k;
        double len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len > 0) {
          double step = Math.min(len, temperature);
          x[i] += dx[i] / len * step;
          y[i] += dy[i] / len * step;
        }
      }
    }
  }

  /** Scales uniformly and centres the drawing in the box. */
  private static void fit(
      List<String> ids,
      double[] x,
      double[] y,
      double width,
      double height,
      double margin,
      Map<String, Point> out) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      minX = Math.min(minX, x[i]);
      maxX = Math.max(maxX, x[i]);
      minY = Math.min(minY, y[i]);
      maxY = Math.max(maxY, y[i]);
    }
    double w = Math.max(0, width - 2 * margin);
    double h = Math.max(0, height - 2 * margin);
    double spanX = maxX - minX;
    double spanY = maxY - minY;
    double scale =
        Math.min(
            spanX > 1e-9 ? w / spanX : Double.MAX_VALUE,
            spanY > 1e-9 ? h / spanY : Double.MAX_VALUE);
    if (scale == Double.MAX_VALUE) {
      scale = 0;
    }
    double cx = (minX + maxX) / 2;
    double cy = (minY + maxY) / 2;
    for (int i = 0; i < x.length; i++) {
      double px = width / 2 + (x[i] - cx) * scale;
      double py = height / 2 + (y[i] - cy) * scale;
      // guard against rounding just outside the box
      px = Math.max(margin, Math.min(width - margin, px));
      py = Math.max(margin, Math.min(height - margin, py));
      out.put(ids.get(i), new Point(px, py));
    }
  }
}
