package io.unmask.report;

import static io.unmask.report.Html.esc;
import static io.unmask.report.Html.xy;

import io.unmask.report.ReportData.Cluster;
import io.unmask.report.ReportData.Link;
import io.unmask.report.ReportData.Member;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cluster as an inline SVG: accounts as circles coloured by score ({@code cluster-node}),
 * labelled with their account id, a thick dark ring on confirmed concealed identities and a dashed
 * green ring on confirmed genuine ones; links as lines coloured by type ({@code cluster-edge},
 * dashed when a shared agency explains them), several types between one pair drawn side by side.
 * Positions come from {@link ClusterLayout}.
 */
public final class ClusterSvg {
  /** Colours of the known link types; any other type is drawn grey and named in the legend. */
  static final Map<String, String> TYPE_COLOURS =
      Map.of(
          "payout", "#d62728",
          "device", "#1f77b4",
          "phone", "#9467bd",
          "photo", "#ff7f0e",
          "bio", "#2ca02c",
          "ip", "#8c8c8c");

  static final String OTHER_COLOUR = "#bcbd22";
  static final int WIDTH = 560;
  static final int HEIGHT = 420;
  static final int MARGIN = 34;

  private ClusterSvg() {}

  static String typeColour(String type) {
    return TYPE_COLOURS.getOrDefault(type, OTHER_COLOUR);
  }

  /** The drawing of one cluster, with a legend of the link types it shows. */
  public static String draw(Cluster c) {
    Map<String, Member> members = new LinkedHashMap<>();
    for (Member m : c.members()) {
      members.putIfAbsent(m.accountId(), m);
    }
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (Link l : c.links()) {
      pairs.add(new AbstractMap.SimpleEntry<>(l.a(), l.b()));
    }
    int legendH = 24;
    Map<String, ClusterLayout.Point> pos =
        ClusterLayout.layout(members.keySet(), pairs, WIDTH, HEIGHT - legendH, MARGIN);
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "<svg class=\"chart cluster\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " role=\"img\" aria-label=\"%s\">",
            WIDTH, HEIGHT, WIDTH, HEIGHT, esc("cluster " + c.clusterId())));
    s.append("<title>").append(esc("cluster " + c.clusterId())).append("</title>");
    // edges: group by unordered pair so that several types between one pair sit side by side
    Map<String, List<Link>> byPair = new TreeMap<>();
    for (Link l : c.links()) {
      if (!pos.containsKey(l.a()) || !pos.containsKey(l.b()) || l.a().equals(l.b())) {
        continue;
      }
      String key = l.a().compareTo(l.b()) < 0 ? l.a() + "\u0000" + l.b() : l.b() + "\u0000" + l.a();
      byPair.computeIfAbsent(key, k -> new ArrayList<>()).add(l);
    }
    Map<String, Integer> typeCounts = new TreeMap<>();
    s.append("<g class=\"edges\">");
    for (List<Link> links : byPair.values()) {
      links.sort(
          java.util.Comparator.comparing(
              Link::type, java.util.Comparator.nullsFirst(String::compareTo)));
      for (int i = 0; i < links.size(); i++) {
        Link l = links.get(i);
        String type = l.type() == null ? "unknown" : l.type();
        typeCounts.merge(type, 1, Integer::sum);
        ClusterLayout.Point a = pos.get(l.a());
        ClusterLayout.Point b = pos.get(l.b());
        double dx = b.x() - a.x();
        double dy = b.y() - a.y();
        double len = Math.max(1e-9, Math.sqrt(dx * dx + dy * dy));
        double off = (i - (links.size() - 1) / 2.0) * 3.5;
        double ox = -dy / len * off;
        double oy = dx / len * off;
        s.append("<line class=\"cluster-edge\" data-type=\"")
            .append(esc(type))
            .append("\" x1=\"")
            .append(xy(a.x() + ox))
            .append("\" y1=\"")
            .append(xy(a.y() + oy))
            .append("\" x2=\"")
            .append(xy(b.x() + ox))
            .append("\" y2=\"")
            .append(xy(b.y() + oy))
            .append("\" stroke=\"")
            .append(typeColour(type))
            .append("\" stroke-width=\"")
            .append(Html.num(1 + 1.5 * Math.max(0, Math.min(1, l.weight())), 1))
            .append("\" stroke-opacity=\"0.85\"")
            .append(l.inGraph() ? "" : " stroke-dasharray=\"5 3\"")
            .append("><title>")
            .append(
                esc(
                    l.a()
                        + " – "
                        + l.b()
                        + ": shared "
                        + type
                        + " (weight "
                        + Html.num(l.weight(), 2)
                        + (l.inGraph() ? "" : "; same agency, not used for clustering")
                        + ")"))
            .append("</title></line>");
      }
    }
    s.append("</g><g class=\"nodes\">");
    for (Map.Entry<String, ClusterLayout.Point> e : pos.entrySet()) {
      Member m = members.get(e.getKey());
      ClusterLayout.Point p = e.getValue();
      String ring =
          m.label() == null
              ? "stroke=\"#555\" stroke-width=\"1\""
              : m.label() == 1
                  ? "stroke=\"#111\" stroke-width=\"3.5\""
                  : "stroke=\"#2ca02c\" stroke-width=\"3\" stroke-dasharray=\"3 2\"";
      String labelWord =
          m.label() == null ? "" : m.label() == 1 ? ", confirmed concealed" : ", confirmed genuine";
      s.append("<g class=\"cluster-node")
          .append(m.label() == null ? "" : m.label() == 1 ? " confirmed" : " genuine")
          .append("\"><circle cx=\"")
          .append(xy(p.x()))
          .append("\" cy=\"")
          .append(xy(p.y()))
          .append("\" r=\"9\" fill=\"")
          .append(Charts.scoreColour(m.score()))
          .append("\" ")
          .append(ring)
          .append("><title>")
          .append(
              esc(
                  m.accountId()
                      + (m.displayName() == null ? "" : " (" + m.displayName() + ")")
                      + ": score "
                      + Html.num(m.score(), 3)
                      + ", rank "
                      + m.rank()
                      + labelWord))
          .append("</title></circle>")
          .append(Charts.text(p.x(), p.y() + 21, "middle", 9, Html.shorten(m.accountId(), 16)))
          .append("</g>");
    }
    s.append("</g>");
    // legend of the link types shown
    double lx = 8;
    double ly = HEIGHT - 8;
    for (Map.Entry<String, Integer> t : typeCounts.entrySet()) {
      String label = Html.shorten(t.getKey(), 12) + " (" + t.getValue() + ")";
      s.append(
          String.format(
              "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"3\"/>",
              xy(lx), xy(ly - 4), xy(lx + 18), xy(ly - 4), typeColour(t.getKey())));
      s.append(Charts.text(lx + 22, ly, "start", 11, label));
      lx += 30 + label.length() * 6.2;
    }
    if (typeCounts.isEmpty()) {
      s.append(Charts.text(lx, ly, "start", 11, "no links between the drawn members"));
    }
    s.append("</svg>");
    return s.toString();
  }
}
