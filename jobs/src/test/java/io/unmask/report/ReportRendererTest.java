package io.unmask.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/** The HTML renderer, charts and cluster layout on hand-made records (no Spark). */
class ReportRendererTest {

  @Test
  void escapeCoversElementTextAttributesAndControlCharacters() {
    assertThat(Html.esc("<script>alert(1)</script>"))
        .isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(Html.esc("\" onmouseover='x' & y"))
        .isEqualTo("&quot; onmouseover=&#39;x&#39; &amp; y");
    assertThat(Html.esc("a\u0000b\u0007c\td\ne")).isEqualTo("a\uFFFDb\uFFFDc\td\ne");
    assertThat(Html.esc("lone \uD800 surrogate, pair \uD83D\uDE00"))
        .isEqualTo("lone \uFFFD surrogate, pair \uD83D\uDE00");
    assertThat(Html.esc(null)).isEmpty();
  }

  @Test
  void hostileTextComesOutEscapedAndOnlyTheOwnScriptRemains() {
    String html = ReportRenderer.render(ReportFixtures.hostile());

    assertThat(count(html.toLowerCase(), "<script")).isEqualTo(1);
    assertThat(html).doesNotContain(ReportFixtures.SCRIPT);
    assertThat(html).contains("&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;");
    // the attribute payload never closes an attribute
    assertThat(html).doesNotContain("\" onmouseover=");
    assertThat(html).contains("&quot; onmouseover=&quot;window.__pwned=2&quot;");
    assertThat(html.toLowerCase()).doesNotContain("<svg onload").doesNotContain("<img");
    // every field of the data is shown (escaped), nothing is dropped
    assertThat(html)
        .contains("/wh/&lt;script&gt;")
        .contains("gbt-1&quot; onmouseover")
        .contains("run&#39;/&gt;&lt;svg onload")
        .contains("US&lt;img src=x")
        .contains("<ul class=\"mitigating\"><li title=\"relocation_clean&quot; onmouseover=")
        .contains("moved &lt;script&gt;");
  }

  @Test
  void theQueueFoldsARingUnderOneEntryAndConfirmedAccountsHaveTheirOwnSection() {
    String html = ReportRenderer.render(ReportFixtures.hostile());
    String queue =
        html.substring(
            html.indexOf("<section id=\"queue\">"), html.indexOf("<section id=\"confirmed\">"));
    String confirmed =
        html.substring(
            html.indexOf("<section id=\"confirmed\">"), html.indexOf("<section id=\"cleared\">"));
    String cleared =
        html.substring(
            html.indexOf("<section id=\"cleared\">"), html.indexOf("<section id=\"clusters\">"));
    // two entries: the ring (folded, one <details>) and the lone account
    assertThat(count(queue, "<tr class=\"entry ")).isEqualTo(2);
    assertThat(count(queue, "<details class=\"ring\"")).isEqualTo(1);
    assertThat(count(queue, "<tr class=\"member\">")).isEqualTo(2);
    assertThat(queue)
        .contains("2 entries")
        .contains("5 accounts in the queue")
        .contains("best score <span class=\"swatch\"")
        .contains("0.970 (rank 1)")
        .contains("<ul class=\"lead-reasons\">")
        .contains("The 2 best-ranked of its 5 queued accounts.")
        .contains("evidence changed since 2026-10-20 review")
        .contains("judged genuine by review:&lt;script&gt;")
        .contains("not reviewed")
        .contains("1 account judged genuine or unsure without new evidence is left out");
    // the ring's summary links to its drawing
    assertThat(queue).contains("<a href=\"#cluster-1\">c&quot; onmouseover=");
    // the lone account comes after the ring, the confirmed one only in its own section
    assertThat(queue.indexOf(">lone<")).isGreaterThan(queue.indexOf("<details class=\"ring\""));
    assertThat(queue).doesNotContain("caught");
    assertThat(confirmed)
        .contains("caught&quot; onmouseover=")
        .contains("confirmed concealed")
        .contains("by review:ana, 2026-10-20 09:30 UTC")
        .contains("table class=\"sortable confirmed\"");
    assertThat(html).doesNotContain("id=\"top\"").contains("<a href=\"#queue\">To review</a>");
    // a clearance stays auditable: folded, with who judged it, the untrusted texts escaped
    assertThat(cleared)
        .contains("<details class=\"cleared\">")
        .contains("1 account whose latest review says genuine or unsure")
        .contains("judged genuine")
        .contains("by review:&lt;script&gt;")
        .contains("known &lt;script&gt;")
        .doesNotContain("<script>")
        .doesNotContain("not reviewed");
    assertThat(queue).doesNotContain("kept");
  }

  @Test
  void decisionsAreListedNewestFirstWithEscapedNamesAndNotes() {
    String html = ReportRenderer.render(ReportFixtures.hostile());
    assertThat(html)
        .contains(
            "<li class=\"decision\"><time>2026-10-20 09:30 UTC</time> <span class=\"who\">ana&quot;"
                + " onmouseover=&quot;window.__pwned=2&quot; x=&quot;</span>: <span class=\"verdict"
                + " v-genuine\">genuine</span><div class=\"dnote\">note &lt;script&gt;")
        .contains("<span class=\"verdict v-unsure\">unsure</span></li>")
        .contains(
            "<div class=\"dnote\">&lt;img src=x onerror=&quot;window.__pwned=4&quot;&gt;\nsecond line")
        .contains("<span class=\"none\">none recorded</span>");
    assertThat(html.indexOf("2026-10-20 09:30 UTC</time>"))
        .isLessThan(html.indexOf("2026-10-01 08:00 UTC</time>"));
    StringBuilder s = new StringBuilder();
    ReportRenderer.history(
        s,
        List.of(
            new ReportData.Decision(
                null, null, "unsure", "x".repeat(ReportRenderer.MAX_NOTE + 50))));
    assertThat(s.toString())
        .contains("time unknown")
        .contains("x".repeat(ReportRenderer.MAX_NOTE - 1) + "…");
  }

  @Test
  void anEmptyQueueAndNoConfirmedAccountsSaySo() {
    ReportData base = ReportFixtures.empty();
    ReportData none =
        new ReportData(
            base.header(),
            base.histogram(),
            base.labels(),
            base.importances(),
            new ReportData.Review(List.of(), 0, 0, List.of(), 0, 3, List.of()),
            base.clusters(),
            6);
    String html = ReportRenderer.render(none);
    assertThat(html).contains("Nothing to review").contains("No account of this day is confirmed");
    assertThat(html).doesNotContain("<table class=\"queue\"");
  }

  @Test
  void everySvgIsWellFormedAndCarriesTheHostileTextOnlyAsText() throws Exception {
    String html = ReportRenderer.render(ReportFixtures.hostile());
    List<String> svgs = svgs(html);
    // histogram (+ no log chart: not skewed), PR, importances, reasons, one cluster
    assertThat(svgs).hasSize(5);
    StringBuilder allText = new StringBuilder();
    for (String svg : svgs) {
      Document doc = parse(svg);
      NodeList all = doc.getElementsByTagName("*");
      for (int i = 0; i < all.getLength(); i++) {
        Element e = (Element) all.item(i);
        assertThat(e.getTagName()).isNotIn("script", "img", "foreignObject");
        NamedNodeMap attrs = e.getAttributes();
        for (int a = 0; a < attrs.getLength(); a++) {
          assertThat(attrs.item(a).getNodeName().toLowerCase()).doesNotStartWith("on");
        }
      }
      allText.append(doc.getDocumentElement().getTextContent());
    }
    // the payloads arrive, decoded, as text content of titles and labels
    assertThat(allText.toString())
        .contains("evil" + ReportFixtures.SCRIPT)
        .contains("acc" + ReportFixtures.SVG)
        .contains("genuine" + ReportFixtures.SCRIPT);
  }

  @Test
  void contentSecurityPolicyForbidsTheNetworkAndPinsTheOwnScript() throws Exception {
    String html = ReportRenderer.render(ReportFixtures.hostile());
    Matcher m =
        Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")
            .matcher(html);
    assertThat(m.find()).isTrue();
    String csp = m.group(1).replace("&#39;", "'");
    assertThat(csp)
        .contains("default-src 'none'")
        .contains("connect-src 'none'")
        .contains("img-src data:")
        .doesNotContain("http")
        .doesNotContain("unsafe-eval");
    String script = html.substring(html.indexOf("<script>") + 8, html.indexOf("</script>"));
    String hash =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
    assertThat(csp).contains("script-src 'sha256-" + hash + "'");
    assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
  }

  @Test
  void emptyInputsSayWhatIsMissingInsteadOfDrawingEmptyCharts() {
    String html = ReportRenderer.render(ReportFixtures.empty());
    assertThat(html).contains("No labels: no account of this day is confirmed");
    assertThat(html).contains("No clusters:");
    assertThat(html).contains("No feature importances are available");
    assertThat(html).contains("No account of this day carries a reason");
    assertThat(html).doesNotContain("class=\"pr-line\"").doesNotContain("chart cluster");
    assertThat(html).doesNotContain("class=\"imp-bar\"");
    assertThat(count(html, "class=\"hist-bar\"")).isEqualTo(3);
  }

  @Test
  void chartsDrawOneElementPerDatum() {
    ReportData d = ReportFixtures.hostile();
    String hist = Charts.histogram(d.histogram().bins(), false, "h");
    assertThat(count(hist, "class=\"hist-bar\"")).isEqualTo(4);
    assertThat(count(hist, "class=\"hist-mark\"")).isEqualTo(2); // 1 confirmed, 1 genuine bin
    String pr = Charts.prCurves(d.labels().curves());
    assertThat(count(pr, "class=\"pr-line\"")).isEqualTo(2);
    assertThat(count(pr, "class=\"pr-pt\"")).isEqualTo(3);
    String cluster = ClusterSvg.draw(d.clusters().get(0));
    assertThat(count(cluster, "class=\"cluster-node")).isEqualTo(3);
    assertThat(count(cluster, "class=\"cluster-edge\"")).isEqualTo(3);
    assertThat(cluster).contains("data-type=\"device\"").contains("data-type=\"payout\"");
    assertThat(cluster).contains("stroke-dasharray=\"5 3\""); // the agency-explained link
  }

  @Test
  void skewedHistogramsGetALogScaleChartToo() {
    assertThat(ReportFixtures.histogram(5000, 40, 30, 20, 10, 5).skewed()).isTrue();
    assertThat(ReportFixtures.histogram(50, 40, 30, 20, 10, 5).skewed()).isFalse();
    ReportData base = ReportFixtures.empty();
    ReportData skewed =
        new ReportData(
            base.header(),
            ReportFixtures.histogram(5000, 40, 30, 20, 10, 5),
            base.labels(),
            base.importances(),
            base.review(),
            base.clusters(),
            6);
    assertThat(count(ReportRenderer.render(skewed), "chart hist log")).isEqualTo(1);
    assertThat(count(ReportRenderer.render(base), "chart hist log")).isZero();
  }

  @Test
  void layoutIsDeterministicWhateverTheInputOrderAndStaysInTheBox() {
    List<String> nodes = new ArrayList<>();
    List<Map.Entry<String, String>> edges = new ArrayList<>();
    // two cliques of 6 joined by one edge
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < 6; i++) {
        nodes.add("n" + c + i);
        for (int j = 0; j < i; j++) {
          edges.add(new AbstractMap.SimpleEntry<>("n" + c + i, "n" + c + j));
        }
      }
    }
    edges.add(new AbstractMap.SimpleEntry<>("n00", "n10"));
    Map<String, ClusterLayout.Point> a = ClusterLayout.layout(nodes, edges, 500, 400, 30);
    List<String> shuffledNodes = new ArrayList<>(nodes);
    List<Map.Entry<String, String>> shuffledEdges = new ArrayList<>(edges);
    Collections.shuffle(shuffledNodes, new java.util.Random(1));
    Collections.shuffle(shuffledEdges, new java.util.Random(2));
    Map<String, ClusterLayout.Point> b =
        ClusterLayout.layout(shuffledNodes, shuffledEdges, 500, 400, 30);
    assertThat(b).isEqualTo(a);
    assertThat(a).hasSize(12);
    for (ClusterLayout.Point p : a.values()) {
      assertThat(p.x()).isBetween(30.0, 470.0);
      assertThat(p.y()).isBetween(30.0, 370.0);
    }
    // no two nodes on top of each other, and each clique is drawn together
    double minDist = Double.MAX_VALUE;
    double within = 0;
    double between = 0;
    int nw = 0;
    int nb = 0;
    for (String x : nodes) {
      for (String y : nodes) {
        if (x.compareTo(y) < 0) {
          double d = dist(a.get(x), a.get(y));
          minDist = Math.min(minDist, d);
          if (x.charAt(1) == y.charAt(1)) {
            within += d;
            nw++;
          } else {
            between += d;
            nb++;
          }
        }
      }
    }
    assertThat(minDist).isGreaterThan(15);
    assertThat(within / nw).isLessThan(0.6 * between / nb);
  }

  @Test
  void layoutOfOneOrNoNodeIsCentredOrEmpty() {
    assertThat(ClusterLayout.layout(List.of(), List.of(), 100, 100, 10)).isEmpty();
    assertThat(ClusterLayout.layout(List.of("a"), List.of(), 100, 80, 10))
        .containsExactly(Map.entry("a", new ClusterLayout.Point(50, 40)));
  }

  private static double dist(ClusterLayout.Point p, ClusterLayout.Point q) {
    return Math.hypot(p.x() - q.x(), p.y() - q.y());
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  static List<String> svgs(String html) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int start = html.indexOf("<svg ", from);
      if (start < 0) {
        return out;
      }
      int end = html.indexOf("</svg>", start);
      out.add(html.substring(start, end + 6));
      from = end + 6;
    }
  }

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
