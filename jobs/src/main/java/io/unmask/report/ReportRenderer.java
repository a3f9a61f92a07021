package io.unmask.report;

import static io.unmask.report.Html.esc;

import io.unmask.report.ReportData.Cluster;
import io.unmask.report.ReportData.Decision;
import io.unmask.report.ReportData.Header;
import io.unmask.report.ReportData.Importance;
import io.unmask.report.ReportData.Labels;
import io.unmask.report.ReportData.PrCurve;
import io.unmask.report.ReportData.QueueEntry;
import io.unmask.report.ReportData.Reason;
import io.unmask.report.ReportData.ReasonStat;
import io.unmask.report.ReportData.Review;
import io.unmask.report.ReportData.ReviewedAccount;
import io.unmask.report.ReportData.TopAccount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link ReportData} into one self-contained HTML page: no network at all (a
 * Content-Security-Policy forbids every source; only inline styles, data: images and the page's own
 * script, pinned by its SHA-256, may run), charts as inline SVG, every text from the data escaped
 * by {@link Html#esc}. The one script only makes the confirmed table sortable; the page reads the
 * same without it. Pure Java: no Spark.
 */
public final class ReportRenderer {
  /** The page's only script: click (or Enter on) a column header of a sortable table to sort. */
  static final String SCRIPT =
      """
      (function () {
        document.querySelectorAll('table.sortable').forEach(function (table) {
          var heads = table.querySelectorAll('thead th');
          heads.forEach(function (th, col) {
            th.tabIndex = 0;
            function sort() {
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              var asc = th.getAttribute('aria-sort') !== 'ascending';
              var numeric = th.hasAttribute('data-numeric');
              rows.sort(function (a, b) {
                var x = a.cells[col].getAttribute('data-v') || a.cells[col].textContent;
                var y = b.cells[col].getAttribute('data-v') || b.cells[col].textContent;
                var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
                return asc ? c : -c;
              });
              heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
              rows.forEach(function (r) { body.appendChild(r); });
            }
            th.addEventListener('click', sort);
            th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
          });
        });
      })();
      """;

  static final String STYLE =
      """
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
             color: #1d1d1f; margin: 0 auto; max-width: 1180px; padding: 0 24px 48px; }
      header { border-bottom: 2px solid #333; margin-bottom: 12px; }
      h1 { font-size: 24px; margin: 20px 0 6px; }
      h2 { font-size: 19px; margin: 30px 0 6px; border-bottom: 1px solid #ccc; padding-bottom: 3px; }
      h3 { font-size: 15px; margin: 18px 0 4px; }
      dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 14px; }
      dl.meta dt { color: #555; } dl.meta dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
      nav a { margin-right: 14px; }
      p.note { color: #444; max-width: 900px; }
      p.empty { background: #f6f6f6; border-left: 4px solid #999; padding: 8px 12px; }
      table { border-collapse: collapse; width: 100%; font-size: 13px; }
      th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 6px; text-align: left; vertical-align: top; }
      thead th { background: #f3f3f3; position: sticky; top: 0; cursor: pointer; white-space: nowrap; }
      thead th[aria-sort=ascending]::after { content: " ▲"; }
      thead th[aria-sort=descending]::after { content: " ▼"; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      td.id { font-family: ui-monospace, monospace; white-space: nowrap; }
      td.reasons { min-width: 380px; }
      div.mitigating { font-size: 0.85em; color: #2f6b3a; margin-top: 4px; }
      ul.mitigating li { color: #2f6b3a; } td.label { white-space: nowrap; }
      td ul { margin: 0; padding-left: 16px; }
      .chip { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; }
      .chip.pos { background: #a50026; color: #fff; } .chip.neg { background: #2ca02c; color: #fff; }
      .swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #888; vertical-align: -1px; }
      .clusters { display: grid; grid-template-columns: repeat(auto-fill, minmax(570px, 1fr)); gap: 14px; }
      figure { margin: 0; border: 1px solid #ddd; padding: 8px; border-radius: 4px; }
      figcaption { font-size: 13px; margin-bottom: 4px; }
      svg.chart { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
      svg text { fill: #222; }
      svg.cluster text { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
      .legend { margin: 4px 0; } .legend b { margin-right: 8px; }
      .legend span { margin-right: 14px; white-space: nowrap; }
      .line { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: 3px; }
      span.ring { display: inline-block; width: 10px; height: 10px; border-radius: 50%; background: #fd8d3c; vertical-align: -1px; }
      .chip.new { background: #ddd; color: #222; } .chip.changed { background: #f0a202; color: #111; }
      div.by { font-size: 12px; color: #555; margin-top: 2px; }
      table.queue > tbody > tr.entry > td { border-bottom: 1px solid #bbb; }
      details.ring > summary { cursor: pointer; padding: 4px 0; }
      details.ring > summary .ring-id { font-weight: 600; font-family: ui-monospace, monospace; }
      details.ring ul.lead-reasons { margin: 2px 0 0 18px; color: #333; }
      details.ring[open] > summary { border-bottom: 1px dashed #ccc; margin-bottom: 4px; }
      table.members thead th { background: #fafafa; position: static; }
      td.history { min-width: 200px; font-size: 12px; }
      ol.history { margin: 0; padding-left: 16px; } ol.history time { color: #555; white-space: nowrap; }
      .verdict { font-weight: 600; } .v-concealed { color: #a50026; } .v-genuine { color: #2c7a2c; }
      .dnote { white-space: pre-wrap; overflow-wrap: anywhere; color: #333; }
      span.none { color: #888; }
      footer { margin-top: 36px; color: #666; font-size: 12px; }
      """;

  /** Bars shown in an importance chart. */
  static final int MAX_BARS = 25;

  private ReportRenderer() {}

  /** The SHA-256 of the script, as the Content-Security-Policy names it. */
  static String scriptHash() {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(SCRIPT.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(d) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The policy: nothing from anywhere; inline style, data: images and the pinned script only. */
  static String contentSecurityPolicy() {
    return "default-src 'none'; script-src "
        + scriptHash()
        + "; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none';"
        + " media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none';"
        + " manifest-src 'none'; base-uri 'none'; form-action 'none'";
  }

  /** The whole page. */
  public static String render(ReportData d) {
    Header h = d.header();
    StringBuilder s = new StringBuilder(64 * 1024);
    s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(esc(contentSecurityPolicy()))
        .append("\">\n");
    s.append("<meta name=\"referrer\" content=\"no-referrer\">\n");
    s.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.append("<title>")
        .append(esc("Unmask report " + h.asOf() + " — " + h.warehouse()))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    header(s, h);
    distribution(s, d);
    labels(s, d.labels());
    importances(s, d);
    queue(s, d);
    confirmed(s, d);
    cleared(s, d);
    clusters(s, d);
    s.append("<footer>Generated by Unmask ")
        .append(esc(h.generatedAt()))
        .append(". Self-contained: this page loads nothing from the network.</footer>\n");
    s.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
    return s.toString();
  }

  private static void header(StringBuilder s, Header h) {
    s.append("<header>\n<h1>Unmask — accounts ranked for concealed identity</h1>\n");
    s.append("<dl class=\"meta\">");
    meta(s, "warehouse", h.warehouse());
    meta(s, "as_of", String.valueOf(h.asOf()));
    meta(s, "model", h.modelVersion() + " (" + h.modelKind() + ")");
    meta(s, "accounts scored", Html.count(h.accounts()));
    meta(s, "run id", h.runId());
    meta(s, "generated", String.valueOf(h.generatedAt()));
    if (!h.modelMetrics().isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (String k :
          List.of("average_precision", "precision_at_k", "recall_top_1pct", "recall_top_5pct")) {
        Double v = h.modelMetrics().get(k);
        if (v != null) {
          parts.add(k + " " + Html.num(v, 3));
        }
      }
      if (!parts.isEmpty()) {
        meta(s, "out-of-fold quality", String.join(", ", parts));
      }
    }
    s.append("</dl>\n<nav><a href=\"#distribution\">Score distribution</a>")
        .append("<a href=\"#labels\">Precision–recall</a>")
        .append("<a href=\"#importances\">What the model uses</a>")
        .append("<a href=\"#queue\">To review</a>")
        .append("<a href=\"#confirmed\">Confirmed concealed</a>")
        .append("<a href=\"#cleared\">Judged genuine or unsure</a>")
        .append("<a href=\"#clusters\">Clusters</a></nav>\n</header>\n");
  }

  private static void meta(StringBuilder s, String k, String v) {
    s.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
  }

  private static void distribution(StringBuilder s, ReportData d) {
    s.append("<section id=\"distribution\">\n<h2>Score distribution</h2>\n");
    long total = d.histogram().bins().stream().mapToLong(ReportData.Bin::count).sum();
    if (total == 0) {
      s.append("<p class=\"empty\">No scored accounts.</p>\n</section>\n");
      return;
    }
    s.append("<p class=\"note\">")
        .append(esc(Html.count(total)))
        .append(" accounts in ")
        .append(d.histogram().bins().size())
        .append(
            " equal score bins. Most accounts are genuine, so most of the mass sits at low scores;"
                + " the accounts to review are the thin tail on the right. Dots under the axis mark"
                + " where the confirmed accounts fall.</p>\n");
    s.append(
        Charts.histogram(d.histogram().bins(), false, "accounts per score bin (linear scale)"));
    if (d.histogram().skewed()) {
      s.append("<p class=\"note\">The counts are very skewed, so the same bins again on a log")
          .append(" scale, where the small bins of the tail stay visible:</p>\n");
      s.append(Charts.histogram(d.histogram().bins(), true, "accounts per score bin (log scale)"));
    }
    s.append("</section>\n");
  }

  private static void labels(StringBuilder s, Labels l) {
    s.append("<section id=\"labels\">\n<h2>Precision–recall on the confirmed labels</h2>\n");
    if (l.none()) {
      s.append("<p class=\"empty\">No labels: no account of this day is confirmed as a concealed")
          .append(" identity (label 1 in <code>labels</code>), so there is no precision–recall")
          .append(" curve to draw. ")
          .append(esc(Html.count(l.genuine())))
          .append(
              l.genuine() == 1
                  ? " account is confirmed genuine.</p>\n</section>\n"
                  : " accounts are confirmed genuine.</p>\n</section>\n");
      return;
    }
    s.append("<p class=\"note\">")
        .append(esc(Html.count(l.positives())))
        .append(" confirmed concealed identities (label 1, positives) and ")
        .append(esc(Html.count(l.genuine())))
        .append(
            " confirmed genuine accounts (label 0), latest label per account. Each point is one"
                + " confirmed positive in score order: recall is the share of positives at or"
                + " above its score, precision the share of positives among the accounts there."
                + " The solid curve counts only the confirmed genuine accounts as negatives. The"
                + " dashed one counts every other account as negative, as training does"
                + " (positive–unlabelled): unlabelled accounts may hide more concealed"
                + " identities, so it understates precision. The model was trained on these"
                + " same labels, so both curves are optimistic; the out-of-fold figures in the"
                + " header are the honest ones.</p>\n");
    if (l.curves().isEmpty()) {
      s.append("<p class=\"empty\">No curve: none of the confirmed accounts was scored.</p>\n");
    } else {
      s.append(Charts.prCurves(l.curves()));
      s.append("<ul>");
      for (PrCurve c : l.curves()) {
        s.append("<li>Average precision ")
            .append(esc(Html.num(c.averagePrecision(), 3)))
            .append(" — negatives: ")
            .append(esc(c.negatives()))
            .append("</li>");
      }
      s.append("</ul>\n");
    }
    s.append("</section>\n");
  }

  private static void importances(StringBuilder s, ReportData d) {
    s.append("<section id=\"importances\">\n<h2>What the model uses</h2>\n");
    s.append("<h3>Feature importances</h3>\n<p class=\"note\">")
        .append(esc(d.importances().source()))
        .append("</p>\n");
    List<Importance> model = d.importances().model();
    if (model.isEmpty()) {
      s.append("<p class=\"empty\">No feature importances are available for this model.</p>\n");
    } else {
      List<Importance> shown = model.subList(0, Math.min(MAX_BARS, model.size()));
      s.append(Charts.bars(shown, "imp-bar", "feature importances", ""));
      if (shown.size() < model.size()) {
        s.append("<p class=\"note\">The ")
            .append(shown.size())
            .append(" largest of ")
            .append(model.size())
            .append(" features.</p>\n");
      }
    }
    s.append("<h3>Mean reason weight by reason code</h3>\n");
    List<ReasonStat> reasons = d.importances().reasons();
    if (reasons.isEmpty()) {
      s.append("<p class=\"empty\">No account of this day carries a reason.</p>\n");
    } else {
      s.append(
          "<p class=\"note\">Over the scored accounts: the mean weight of each reason code where"
              + " it is given (the number of accounts that carry it in the hover title and the"
              + " table). Reasons are the largest contributions to each account's score.</p>\n");
      List<Importance> bars = new ArrayList<>();
      for (ReasonStat r : reasons.subList(0, Math.min(MAX_BARS, reasons.size()))) {
        bars.add(
            new Importance(
                r.code() + " (" + Html.count(r.accounts()) + " accounts)", r.meanWeight(), null));
      }
      s.append(Charts.bars(bars, "reason-bar", "mean reason weight by code", "mean weight"));
    }
    s.append("</section>\n");
  }

  /** Cluster id to its drawing's number on the page (1-based). */
  private static Map<String, Integer> drawn(ReportData d) {
    Map<String, Integer> drawn = new HashMap<>();
    for (int i = 0; i < d.clusters().size(); i++) {
      drawn.putIfAbsent(d.clusters().get(i).clusterId(), i + 1);
    }
    return drawn;
  }

  private static void clusterRef(StringBuilder s, String clusterId, Map<String, Integer> drawn) {
    if (clusterId == null) {
      return;
    }
    Integer n = drawn.get(clusterId);
    if (n != null) {
      s.append("<a href=\"#cluster-").append(n).append("\">").append(esc(clusterId)).append("</a>");
    } else {
      s.append(esc(clusterId));
    }
  }

  /** The review queue: what investigators still have to look at, rings folded into one entry. */
  private static void queue(StringBuilder s, ReportData d) {
    Review r = d.review();
    Map<String, Integer> drawn = drawn(d);
    s.append("<section id=\"queue\">\n<h2>To review</h2>\n");
    if (r.queue().isEmpty()) {
      s.append("<p class=\"empty\">Nothing to review: every scored account of this day has been")
          .append(" judged, and none of those judged genuine or unsure shows new evidence.</p>\n")
          .append("</section>\n");
      return;
    }
    s.append("<p class=\"note\">")
        .append(esc(Html.count(r.queueAccounts(), "account", "accounts")))
        .append(" to review in ")
        .append(esc(Html.count(r.queueEntries(), "entry", "entries")))
        .append("; the first ")
        .append(r.queue().size())
        .append(
            " by their best rank. Accounts nobody has judged yet, and accounts judged genuine or"
                + " unsure whose reasons now hold evidence that the ranking of the day of that"
                + " review did not (<span class=\"chip changed\">evidence changed</span>). A ring"
                + " (the queued accounts of one cluster) is one entry at its best-ranked member:"
                + " open it to see its members. Confirmed accounts are listed ")
        .append("<a href=\"#confirmed\">below</a>");
    if (r.settled() > 0) {
      s.append("; ")
          .append(esc(Html.count(r.settled(), "account", "accounts")))
          .append(" judged genuine or unsure without new evidence ")
          .append(r.settled() == 1 ? "is" : "are")
          .append(" left out");
    }
    s.append(".</p>\n");
    s.append("<table class=\"queue\"><thead><tr><th>#</th>");
    accountHeads(s, false);
    s.append("</tr></thead>\n<tbody>\n");
    int i = 0;
    for (QueueEntry e : r.queue()) {
      i++;
      if (!e.isRing()) {
        s.append("<tr class=\"entry account\" id=\"queue-")
            .append(i)
            .append("\"><td class=\"num\">")
            .append(i)
            .append("</td>");
        accountCells(s, e.lead(), drawn, false);
        s.append("</tr>\n");
        continue;
      }
      ReviewedAccount lead = e.lead();
      long changed = e.members().stream().filter(ReviewedAccount::evidenceChanged).count();
      s.append("<tr class=\"entry ring\" id=\"queue-")
          .append(i)
          .append("\"><td class=\"num\">")
          .append(i)
          .append("</td><td colspan=\"")
          .append(ACCOUNT_COLUMNS)
          .append("\"><details class=\"ring\" data-cluster=\"")
          .append(esc(e.clusterId()))
          .append("\"><summary><span class=\"ring-id\">ring ");
      clusterRef(s, e.clusterId(), drawn);
      s.append("</span> · <span class=\"ring-size\">")
          .append(esc(Html.count(e.inQueue())))
          .append(e.inQueue() == 1 ? " account" : " accounts")
          .append(" in the queue</span> · best score <span class=\"swatch\" style=\"background:")
          .append(Charts.scoreColour(lead.account().score()))
          .append("\"></span> ")
          .append(esc(Html.num(lead.account().score(), 3)))
          .append(" (rank ")
          .append(lead.account().rank())
          .append(")");
      if (changed > 0) {
        s.append(" · <span class=\"chip changed\">")
            .append(changed)
            .append(" with evidence changed</span>");
      }
      List<Reason> leadReasons = lead.account().reasons();
      if (!leadReasons.isEmpty()) {
        s.append("<ul class=\"lead-reasons\">");
        for (Reason x : leadReasons.subList(0, Math.min(2, leadReasons.size()))) {
          reason(s, x);
        }
        s.append("</ul>");
      }
      s.append("</summary>\n");
      if (e.members().size() < e.inQueue()) {
        s.append("<p class=\"note\">The ")
            .append(e.members().size())
            .append(" best-ranked of its ")
            .append(esc(Html.count(e.inQueue())))
            .append(" queued accounts.</p>");
      }
      s.append("<table class=\"members\"><thead><tr>");
      accountHeads(s, false);
      s.append("</tr></thead><tbody>\n");
      for (ReviewedAccount m : e.members()) {
        s.append("<tr class=\"member\">");
        accountCells(s, m, drawn, false);
        s.append("</tr>\n");
      }
      s.append("</tbody></table></details></td></tr>\n");
    }
    s.append("</tbody></table>\n</section>\n");
  }

  /** The confirmed concealed identities, with who confirmed them and when. */
  private static void confirmed(StringBuilder s, ReportData d) {
    Review r = d.review();
    s.append("<section id=\"confirmed\">\n<h2>Confirmed concealed</h2>\n");
    if (r.confirmed().isEmpty()) {
      s.append("<p class=\"empty\">No account of this day is confirmed as a concealed identity")
          .append(" (by the labels export or a recorded decision).</p>\n</section>\n");
      return;
    }
    s.append("<p class=\"note\">")
        .append(esc(Html.count(r.confirmedAccounts(), "account", "accounts")))
        .append(" whose latest review says concealed (labels export or")
        .append(" <code>unmask review</code>)");
    if (r.confirmed().size() < r.confirmedAccounts()) {
      s.append("; the ").append(r.confirmed().size()).append(" highest-ranked");
    }
    s.append(". They are out of the queue. Click a column header to sort.</p>\n");
    accountTable(s, d, "confirmed", r.confirmed(), true);
    s.append("</section>\n");
  }

  /**
   * The accounts judged genuine or unsure with nothing new since, highest-ranked first: out of the
   * queue, listed so that a second investigator can audit the clearances of accounts that still
   * rank high. Folded: the page is about what is left to do.
   */
  private static void cleared(StringBuilder s, ReportData d) {
    Review r = d.review();
    s.append("<section id=\"cleared\">\n<h2>Judged genuine or unsure</h2>\n");
    if (r.cleared().isEmpty()) {
      s.append("<p class=\"empty\">No account of this day is judged genuine or unsure without")
          .append(" new evidence since.</p>\n</section>\n");
      return;
    }
    s.append("<p class=\"note\">")
        .append(esc(Html.count(r.settled(), "account", "accounts")))
        .append(" whose latest review says genuine or unsure, with no reason code since that the")
        .append(" ranking of the review's day did not hold");
    if (r.cleared().size() < r.settled()) {
      s.append("; the ").append(r.cleared().size()).append(" highest-ranked");
    }
    s.append(". They are out of the queue and return to it when new evidence appears.</p>\n")
        .append("<details class=\"cleared\"><summary>Show them, to audit a clearance</summary>\n");
    accountTable(s, d, "cleared", r.cleared(), false);
    s.append("</details>\n</section>\n");
  }

  /** A sortable table of reviewed accounts, one row each ({@link #accountCells}). */
  private static void accountTable(
      StringBuilder s,
      ReportData d,
      String cssClass,
      List<ReviewedAccount> accounts,
      boolean confirmed) {
    s.append("<table class=\"sortable ").append(cssClass).append("\"><thead><tr>");
    accountHeads(s, confirmed);
    s.append("</tr></thead>\n<tbody>\n");
    Map<String, Integer> drawn = drawn(d);
    for (ReviewedAccount a : accounts) {
      s.append("<tr>");
      accountCells(s, a, drawn, confirmed);
      s.append("</tr>\n");
    }
    s.append("</tbody></table>\n");
  }

  /** Columns of {@link #accountCells}. */
  static final int ACCOUNT_COLUMNS = 9;

  private static void accountHeads(StringBuilder s, boolean confirmed) {
    s.append("<th data-numeric>rank</th><th>account</th><th data-numeric>score</th>")
        .append("<th>cluster</th><th>display name</th><th>claimed country</th><th>")
        .append(confirmed ? "confirmed" : "review")
        .append("</th><th>reasons</th><th>decisions</th>");
  }

  private static void accountCells(
      StringBuilder s, ReviewedAccount ra, Map<String, Integer> drawn, boolean confirmed) {
    TopAccount a = ra.account();
    s.append("<td class=\"num\" data-v=\"")
        .append(a.rank())
        .append("\">")
        .append(a.rank())
        .append("</td><td class=\"id\">")
        .append(esc(a.accountId()))
        .append("</td><td class=\"num\" data-v=\"")
        .append(esc(Html.num(a.score(), 6)))
        .append("\"><span class=\"swatch\" style=\"background:")
        .append(Charts.scoreColour(a.score()))
        .append("\"></span> ")
        .append(esc(Html.num(a.score(), 3)))
        .append("</td><td class=\"id\">");
    clusterRef(s, a.clusterId(), drawn);
    s.append("</td><td>")
        .append(esc(a.displayName()))
        .append("</td><td>")
        .append(esc(a.claimedCountry()))
        .append("</td><td class=\"label\"");
    if (confirmed) {
      s.append(" data-v=\"")
          .append(esc(ra.reviewedAt()))
          .append("\"><span class=\"chip pos\">confirmed concealed</span><div class=\"by\">")
          .append(esc(by(ra.reviewedBy(), ra.reviewedAt())))
          .append("</div>");
    } else if (ra.evidenceChanged()) {
      s.append("><span class=\"chip changed\">evidence changed since ")
          .append(esc(day(ra.reviewedAt())))
          .append(" review</span><div class=\"by\">judged ")
          .append(Integer.valueOf(0).equals(a.label()) ? "genuine" : "unsure")
          .append(" ")
          .append(esc(by(ra.reviewedBy(), ra.reviewedAt())))
          .append("</div>");
    } else if ("genuine".equals(ra.reviewState()) || "unsure".equals(ra.reviewState())) {
      s.append("><span class=\"chip neg\">judged ")
          .append(esc(ra.reviewState()))
          .append("</span><div class=\"by\">")
          .append(esc(by(ra.reviewedBy(), ra.reviewedAt())))
          .append("</div>");
    } else {
      s.append("><span class=\"chip new\">not reviewed</span>");
    }
    s.append("</td><td class=\"reasons\"><ul>");
    for (Reason r : a.reasons()) {
      reason(s, r);
    }
    s.append("</ul>");
    if (!a.mitigating().isEmpty()) {
      s.append("<div class=\"mitigating\">mitigating</div><ul class=\"mitigating\">");
      for (ReportData.Mitigation m : a.mitigating()) {
        s.append("<li title=\"")
            .append(esc(m.code()))
            .append("\">")
            .append(esc(m.detail() == null ? m.code() : m.detail()))
            .append("</li>");
      }
      s.append("</ul>");
    }
    s.append("</td><td class=\"history\">");
    history(s, ra.history());
    s.append("</td>");
  }

  private static void reason(StringBuilder s, Reason r) {
    s.append("<li title=\"")
        .append(esc(r.code() + " (weight " + Html.num(r.weight(), 3) + ")"))
        .append("\">")
        .append(esc(r.detail() == null ? r.code() : r.detail()))
        .append("</li>");
  }

  /** Notes longer than this are cut (the full text is in the decisions table). */
  static final int MAX_NOTE = 400;

  /** An account's decisions, newest first: when, who, what, and the note. */
  static void history(StringBuilder s, List<Decision> decisions) {
    if (decisions.isEmpty()) {
      s.append("<span class=\"none\">none recorded</span>");
      return;
    }
    s.append("<ol class=\"history\">");
    for (Decision x : decisions) {
      s.append("<li class=\"decision\"><time>")
          .append(esc(when(x.decidedAt())))
          .append("</time> <span class=\"who\">")
          .append(esc(x.decidedBy()))
          .append("</span>: <span class=\"verdict v-")
          .append(esc(x.decision()))
          .append("\">")
          .append(esc(x.decision()))
          .append("</span>");
      if (x.note() != null && !x.note().isBlank()) {
        s.append("<div class=\"dnote\">")
            .append(esc(Html.shorten(x.note(), MAX_NOTE)))
            .append("</div>");
      }
      s.append("</li>");
    }
    s.append("</ol>");
  }

  private static String by(String who, java.time.Instant at) {
    return (who == null ? "" : "by " + who)
        + (at == null ? "" : (who == null ? "" : ", ") + when(at));
  }

  /** A time as investigators read it: UTC, to the minute. */
  static String when(java.time.Instant at) {
    return at == null
        ? "time unknown"
        : java.time.format.DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm 'UTC'", java.util.Locale.ROOT)
            .withZone(java.time.ZoneOffset.UTC)
            .format(at);
  }

  private static String day(java.time.Instant at) {
    return at == null
        ? "an earlier"
        : String.valueOf(java.time.LocalDate.ofInstant(at, java.time.ZoneOffset.UTC));
  }

  private static void clusters(StringBuilder s, ReportData d) {
    s.append("<section id=\"clusters\">\n<h2>Suspicious clusters</h2>\n");
    if (d.clusters().isEmpty()) {
      s.append("<p class=\"empty\">No clusters: no two scored accounts of this day are linked")
          .append(" into one cluster.</p>\n</section>\n");
      return;
    }
    s.append("<p class=\"note\">The ")
        .append(d.clusters().size())
        .append(d.clusters().size() < d.clustersRequested() ? " (all there are)" : "")
        .append(
            " clusters of two or more linked accounts with the highest member score (then mean"
                + " score). Circles are accounts, coloured by score; lines are links from"
                + " <code>account_links</code>, coloured by what the two accounts share; hover for"
                + " details.</p>\n");
    s.append("<p class=\"legend\"><b>Accounts</b>")
        .append("<span><span class=\"swatch\" style=\"background:")
        .append(Charts.scoreColour(0))
        .append("\"></span> score 0 … <span class=\"swatch\" style=\"background:")
        .append(Charts.scoreColour(0.5))
        .append("\"></span> 0.5 … <span class=\"swatch\" style=\"background:")
        .append(Charts.scoreColour(1))
        .append("\"></span> 1</span>")
        .append("<span><span class=\"ring\" style=\"border:3px solid #111\"></span>")
        .append(" confirmed concealed</span>")
        .append("<span><span class=\"ring\" style=\"border:3px dashed #2ca02c\"></span>")
        .append(" confirmed genuine</span></p>\n<p class=\"legend\"><b>Links</b>");
    for (Map.Entry<String, String> t :
        new java.util.TreeMap<>(ClusterSvg.TYPE_COLOURS).entrySet()) {
      s.append("<span><span class=\"line\" style=\"border-color:")
          .append(t.getValue())
          .append("\"></span> shared ")
          .append(esc(t.getKey()))
          .append("</span>");
    }
    s.append("<span><span class=\"line\" style=\"border-top-style:dashed;border-color:#555\">")
        .append("</span> same agency, not used for clustering</span>");
    s.append("</p>\n<div class=\"clusters\">\n");
    int i = 0;
    for (Cluster c : d.clusters()) {
      i++;
      long confirmed =
          c.members().stream().filter(m -> Integer.valueOf(1).equals(m.label())).count();
      s.append("<figure id=\"cluster-")
          .append(i)
          .append("\"><figcaption><strong>")
          .append(i)
          .append(". cluster ")
          .append(esc(c.clusterId()))
          .append("</strong> — ")
          .append(esc(Html.count(c.size())))
          .append(" members, max score ")
          .append(esc(Html.num(c.maxScore(), 3)))
          .append(", mean ")
          .append(esc(Html.num(c.meanScore(), 3)))
          .append(", ")
          .append(c.links().size())
          .append(" links drawn");
      if (confirmed > 0) {
        s.append(", ").append(confirmed).append(" confirmed concealed");
      }
      if (c.capped()) {
        s.append(". <em>Capped: drawing the ")
            .append(c.members().size())
            .append(" highest-scored of ")
            .append(esc(Html.count(c.size())))
            .append(" members.</em>");
      }
      s.append("</figcaption>\n").append(ClusterSvg.draw(c)).append("</figure>\n");
    }
    s.append("</div>\n</section>\n");
  }
}
