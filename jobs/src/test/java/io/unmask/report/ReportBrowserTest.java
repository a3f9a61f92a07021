package io.unmask.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unmask.testing.Processes;
import io.unmask.testing.SampleWarehouse;
import io.unmask.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The report in a real browser (Debian's headless {@code chromium}, driven over the DevTools
 * Protocol): the page loads without a single console error or CSP violation, every chart is drawn
 * and non-empty, hostile data runs no script, and a full-page screenshot is kept in {@code
 * jobs/target/report-screenshot.png} for a person to look at. Skipped without chromium, except on
 * CI ({@code CI=true}), which installs it.
 */
class ReportBrowserTest extends SparkTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /** Counts what each chart drew, and what scripts the page has. */
  private static final String COUNT_JS =
      """
      JSON.stringify({
        histBars: document.querySelectorAll('svg.hist rect.hist-bar').length,
        histBarsWithHeight: Array.prototype.filter.call(
            document.querySelectorAll('svg.hist rect.hist-bar'),
            function (r) { return r.getBBox().height > 0; }).length,
        prLines: document.querySelectorAll('svg.pr path.pr-line').length,
        prPoints: document.querySelectorAll('svg.pr circle.pr-pt').length,
        prPathLength: Array.prototype.reduce.call(
            document.querySelectorAll('svg.pr path.pr-line'),
            function (s, p) { return s + p.getTotalLength(); }, 0),
        importanceBars: document.querySelectorAll('svg.bars rect.imp-bar').length,
        reasonBars: document.querySelectorAll('svg.bars rect.reason-bar').length,
        clusters: document.querySelectorAll('svg.cluster').length,
        clusterNodes: document.querySelectorAll('svg.cluster g.cluster-node').length,
        clusterEdges: document.querySelectorAll('svg.cluster line.cluster-edge').length,
        emptyClusters: Array.prototype.filter.call(document.querySelectorAll('svg.cluster'),
            function (s) { return s.querySelectorAll('g.cluster-node').length === 0; }).length,
        queueEntries: document.querySelectorAll('table.queue > tbody > tr.entry').length,
        rings: document.querySelectorAll('table.queue details.ring').length,
        confirmedRows: document.querySelectorAll('table.confirmed tbody tr').length,
        scripts: document.querySelectorAll('script').length,
        pwned: typeof window.__pwned,
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight
      })
      """;

  @Test
  void realReportLoadsCleanlyWithEveryChartDrawn() throws Exception {
    Path chromium = chromiumOrSkip();
    ReportData data =
        ReportGatherer.gather(
            spark(),
            SampleWarehouse.get().toString(),
            null,
            new ReportGatherer.Options(50, 6, ReportGatherer.MAX_MEMBERS),
            java.time.Instant.now());
    Path page = tempDir("report-page").resolve("report.html");
    ReportJob.write(
        new org.apache.hadoop.fs.Path(page.toString()),
        ReportRenderer.render(data).getBytes(StandardCharsets.UTF_8),
        new Configuration());

    try (HeadlessChromium b = HeadlessChromium.start(chromium, tempDir("chromium"), LIMIT)) {
      b.open(page.toUri().toString());
      JsonNode n = counts(b);
      assertThat(b.errors()).as("console errors, exceptions, CSP violations").isEmpty();

      assertThat(n.path("histBars").asInt()).isGreaterThanOrEqualTo(ReportGatherer.BINS);
      assertThat(n.path("histBarsWithHeight").asInt()).isPositive();
      assertThat(n.path("prLines").asInt()).isEqualTo(2);
      assertThat(n.path("prPoints").asInt()).isEqualTo(2 * data.labels().positives());
      assertThat(n.path("prPathLength").asDouble()).isGreaterThan(100);
      assertThat(n.path("importanceBars").asInt()).isPositive();
      assertThat(n.path("reasonBars").asInt()).isPositive();
      assertThat(n.path("clusters").asInt()).isEqualTo(data.clusters().size()).isPositive();
      assertThat(n.path("emptyClusters").asInt()).isZero();
      assertThat(n.path("clusterNodes").asInt())
          .isEqualTo(data.clusters().stream().mapToInt(c -> c.members().size()).sum());
      assertThat(n.path("clusterEdges").asInt()).isPositive();
      assertThat(n.path("queueEntries").asInt()).isEqualTo(50);
      assertThat(n.path("rings").asInt())
          .isEqualTo((int) data.review().queue().stream().filter(e -> e.isRing()).count());
      assertThat(n.path("confirmedRows").asInt()).isEqualTo(data.review().confirmed().size());
      assertThat(n.path("scripts").asInt()).isEqualTo(1);
      // the queue starts with an account nobody confirmed; confirmed ones are in their section
      String firstEntry =
          b.evaluate("document.querySelector('table.queue > tbody > tr.entry').textContent")
              .asText();
      for (ReportData.ReviewedAccount c : data.review().confirmed()) {
        assertThat(firstEntry).doesNotContain(c.account().accountId());
      }
      assertThat(b.evaluate("document.querySelector('#confirmed').textContent").asText())
          .contains(data.review().confirmed().get(0).account().accountId());

      // the page's one script runs (CSP hash matches): sorting the confirmed table by rank
      String rankJs = "document.querySelector('table.confirmed tbody tr td').textContent";
      String firstBefore = b.evaluate(rankJs).asText();
      b.evaluate("document.querySelectorAll('table.confirmed thead th')[0].click(), 0");
      b.evaluate("document.querySelectorAll('table.confirmed thead th')[0].click(), 0");
      String firstAfter = b.evaluate(rankJs).asText();
      List<ReportData.ReviewedAccount> confirmed = data.review().confirmed();
      assertThat(firstBefore).isEqualTo(String.valueOf(confirmed.get(0).account().rank()));
      assertThat(firstAfter)
          .isEqualTo(String.valueOf(confirmed.get(confirmed.size() - 1).account().rank()));
      assertThat(b.errors()).isEmpty();

      byte[] png = b.screenshotFullPage();
      assertPng(png, n.path("height").asInt());
      Path shot = Processes.root().resolve("jobs/target/report-screenshot.png");
      Files.createDirectories(shot.getParent());
      Files.write(shot, png);
    }
  }

  /**
   * The review sections on a tiny warehouse with investigators' work: the queue starts with
   * accounts nobody confirmed, a ring is one folded entry, confirmed accounts have their own
   * section, a hostile decision note is only text. Screenshot: {@code
   * jobs/target/report-queue-screenshot.png} (rings opened).
   */
  @Test
  void reviewQueueFoldsRingsAndKeepsConfirmedAccountsApart() throws Exception {
    Path chromium = chromiumOrSkip();
    String wh = ReviewWarehouse.create(spark(), tempDir("report-review-wh")).toString();
    ReportData data =
        ReportGatherer.gather(
            spark(), wh, null, new ReportGatherer.Options(10, 2, 10), java.time.Instant.now());
    Path page = tempDir("report-queue").resolve("queue.html");
    Files.writeString(page, ReportRenderer.render(data));
    try (HeadlessChromium b = HeadlessChromium.start(chromium, tempDir("chromium"), LIMIT)) {
      b.open(page.toUri().toString());
      JsonNode n = counts(b);
      assertThat(b.errors()).as("console errors, exceptions, CSP violations").isEmpty();
      assertThat(n.path("queueEntries").asInt()).isEqualTo(4);
      assertThat(n.path("rings").asInt()).isEqualTo(2);
      assertThat(n.path("confirmedRows").asInt()).isEqualTo(2);
      assertThat(n.path("pwned").asText()).isEqualTo("undefined");
      assertThat(n.path("scripts").asInt()).isEqualTo(1);

      // the first entry is ring-A, at its best queued member: not the confirmed conf-1
      JsonNode first =
          json(
              b.evaluate(
                      "(function () { var e = document.querySelector('table.queue > tbody > tr.entry');"
                          + " var d = e.querySelector('details.ring');"
                          + " return JSON.stringify({cluster: d && d.getAttribute('data-cluster'),"
                          + " open: d && d.open, summary: d && d.querySelector('summary').textContent,"
                          + " members: Array.prototype.map.call(e.querySelectorAll('tr.member td.id:nth-child(2)'),"
                          + " function (c) { return c.textContent; }),"
                          + " memberVisible: e.querySelector('tr.member').checkVisibility(),"
                          + " width: d.getBoundingClientRect().width,"
                          + " text: e.textContent}); })()")
                  .asText());
      assertThat(first.path("cluster").asText()).isEqualTo("ring-A");
      assertThat(first.path("open").asBoolean()).isFalse();
      // the ring's entry spans the table (no style of the page squeezes it into one column)
      assertThat(first.path("width").asDouble()).isGreaterThan(800);
      assertThat(first.path("memberVisible").asBoolean()).as("members folded").isFalse();
      assertThat(first.path("summary").asText())
          .contains("ring ring-A")
          .contains("2 accounts in the queue")
          .contains("0.950 (rank 3)")
          .contains("shared_device evidence of ring-a1");
      assertThat(first.path("members").toString()).isEqualTo("[\"ring-a1\",\"ring-a2\"]");
      assertThat(first.path("text").asText())
          .doesNotContain("conf-1")
          .contains("evidence changed since 2026-03-02 review")
          .contains("a real designer");
      // ring-A appears once in the queue; the confirmed accounts only in their own section
      assertThat(
              b.evaluate(
                      "document.querySelectorAll('#queue details.ring[data-cluster=\"ring-A\"]')"
                          + ".length")
                  .asInt())
          .isEqualTo(1);
      String queueText = b.evaluate("document.querySelector('#queue').textContent").asText();
      assertThat(queueText)
          .doesNotContain("conf-1")
          .doesNotContain("conf-2")
          .doesNotContain("cleared");
      String confirmedText =
          b.evaluate("document.querySelector('#confirmed').textContent").asText();
      assertThat(confirmedText)
          .contains("conf-1")
          .contains("conf-2")
          .contains("by investigation, 2026-02-20 10:00 UTC")
          .contains(ReviewWarehouse.NOTE);
      assertThat(b.evaluate("document.querySelectorAll('#confirmed li.decision').length").asInt())
          .isEqualTo(ReportGatherer.MAX_DECISIONS);

      // opened, a ring shows its members
      b.evaluate(
          "document.querySelectorAll('details.ring').forEach(function (d) { d.open = true; }), 0");
      assertThat(b.evaluate("document.querySelector('tr.member').checkVisibility()").asBoolean())
          .isTrue();
      assertThat(b.errors()).isEmpty();
      byte[] png = b.screenshotFullPage();
      assertThat(java.util.Arrays.copyOf(png, 8))
          .containsExactly(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
      assertThat(png.length).isGreaterThan(20_000);
      Path shot = Processes.root().resolve("jobs/target/report-queue-screenshot.png");
      Files.createDirectories(shot.getParent());
      Files.write(shot, png);
    }
  }

  @Test
  void hostileDataRunsNoScriptInTheBrowser() throws Exception {
    Path chromium = chromiumOrSkip();
    Path page = tempDir("report-hostile").resolve("hostile.html");
    Files.writeString(page, ReportRenderer.render(ReportFixtures.hostile()));
    try (HeadlessChromium b = HeadlessChromium.start(chromium, tempDir("chromium"), LIMIT)) {
      b.open(page.toUri().toString());
      // hover every element carrying data, in case an attribute escaped into an event handler
      b.evaluate(
          "document.querySelectorAll('*').forEach(function (e) {"
              + " e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); }), 0");
      JsonNode n = counts(b);
      assertThat(n.path("pwned").asText()).isEqualTo("undefined");
      assertThat(n.path("scripts").asInt()).isEqualTo(1);
      assertThat(b.evaluate("document.querySelectorAll('img').length").asInt()).isZero();
      assertThat(
              b.evaluate(
                      "Array.prototype.some.call(document.querySelectorAll('*'), function (e) {"
                          + " return Array.prototype.some.call(e.attributes, function (a) {"
                          + " return a.name.indexOf('on') === 0; }); })")
                  .asBoolean())
          .as("an element with an event-handler attribute")
          .isFalse();
      // the hostile text is shown as text
      assertThat(b.evaluate("document.body.textContent").asText())
          .contains(ReportFixtures.SCRIPT)
          .contains("US" + ReportFixtures.IMG);
      assertThat(n.path("clusterNodes").asInt()).isEqualTo(3);
      assertThat(n.path("clusterEdges").asInt()).isEqualTo(3);
      assertThat(b.errors()).isEmpty();
    }
  }

  /** The error check above can fail: console errors, exceptions and CSP violations are all seen. */
  @Test
  void theBrowserCheckSeesConsoleErrorsExceptionsAndBlockedScripts() throws Exception {
    Path chromium = chromiumOrSkip();
    Path dir = tempDir("report-errors");
    Path noisy = dir.resolve("noisy.html");
    Files.writeString(
        noisy,
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom');"
            + " throw new Error('uncaught');</script></body></html>");
    Path blocked = dir.resolve("blocked.html");
    Files.writeString(
        blocked,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\""
            + " content=\"default-src 'none'\"></head><body><script>window.__ran=1</script>"
            + "</body></html>");
    try (HeadlessChromium b = HeadlessChromium.start(chromium, tempDir("chromium"), LIMIT)) {
      b.open(noisy.toUri().toString());
      assertThat(b.errors())
          .anySatisfy(e -> assertThat(e).startsWith("console.error").contains("boom"))
          .anySatisfy(e -> assertThat(e).startsWith("exception").contains("uncaught"));
      b.open(blocked.toUri().toString());
      assertThat(b.evaluate("typeof window.__ran").asText()).isEqualTo("undefined");
      assertThat(b.errors()).anySatisfy(e -> assertThat(e).contains("Content Security Policy"));
    }
  }

  private static JsonNode json(String text) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
  }

  private static JsonNode counts(HeadlessChromium b) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(b.evaluate(COUNT_JS).asText());
  }

  private static void assertPng(byte[] png, int pageHeight) {
    assertThat(png.length).isGreaterThan(20_000);
    assertThat(java.util.Arrays.copyOf(png, 8))
        .containsExactly(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
    // IHDR: width and height, big-endian, at bytes 16..23
    int width = java.nio.ByteBuffer.wrap(png, 16, 4).getInt();
    int height = java.nio.ByteBuffer.wrap(png, 20, 4).getInt();
    assertThat(width).isGreaterThan(600);
    assertThat(height).isGreaterThanOrEqualTo(Math.min(pageHeight, 16_000) - 2).isGreaterThan(2000);
  }

  private static Path chromiumOrSkip() {
    Optional<Path> c = HeadlessChromium.executable();
    if (c.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("chromium is not on the PATH; CI must install it (apt-get install chromium)");
      }
      assumeTrue(
          false, "chromium is not on the PATH: browser test skipped (apt-get install chromium)");
    }
    return c.get();
  }
}
