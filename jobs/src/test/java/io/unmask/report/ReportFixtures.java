package io.unmask.report;

import io.unmask.report.ReportData.Bin;
import io.unmask.report.ReportData.Cluster;
import io.unmask.report.ReportData.Decision;
import io.unmask.report.ReportData.Header;
import io.unmask.report.ReportData.Histogram;
import io.unmask.report.ReportData.Importance;
import io.unmask.report.ReportData.Importances;
import io.unmask.report.ReportData.Labels;
import io.unmask.report.ReportData.Link;
import io.unmask.report.ReportData.Member;
import io.unmask.report.ReportData.PrCurve;
import io.unmask.report.ReportData.PrPoint;
import io.unmask.report.ReportData.QueueEntry;
import io.unmask.report.ReportData.Reason;
import io.unmask.report.ReportData.ReasonStat;
import io.unmask.report.ReportData.Review;
import io.unmask.report.ReportData.ReviewedAccount;
import io.unmask.report.ReportData.TopAccount;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made report records, with hostile strings where the data could put them. */
final class ReportFixtures {
  /** Closes an element and runs a script, and sets a flag the browser test looks for. */
  static final String SCRIPT = "<script>window.__pwned=1;alert(1)</script>";

  /** Breaks out of a double-quoted attribute. */
  static final String ATTR = "\" onmouseover=\"window.__pwned=2\" x=\"";

  /** Breaks out of a single-quoted attribute and of SVG text. */
  static final String SVG = "'/><svg onload=window.__pwned=3><text>";

  static final String IMG = "<img src=x onerror=\"window.__pwned=4\">";

  private ReportFixtures() {}

  static Histogram histogram(long... counts) {
    List<Bin> bins = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      bins.add(
          new Bin(
              (double) i / counts.length,
              (double) (i + 1) / counts.length,
              counts[i],
              i == counts.length - 1 ? 1 : 0,
              i == 0 ? 2 : 0));
    }
    return new Histogram(bins);
  }

  /** A page with hostile text in every field that comes from the data. */
  static ReportData hostile() {
    Header h =
        new Header(
            "/wh/" + SCRIPT,
            LocalDate.of(2026, 10, 31),
            "gbt-1" + ATTR,
            "gbt",
            3,
            "run" + SVG,
            Instant.parse("2026-11-01T00:00:00Z"),
            Map.of("average_precision", 0.5));
    Labels labels =
        new Labels(
            2,
            1,
            List.of(
                new PrCurve(
                    "genuine" + SCRIPT,
                    List.of(new PrPoint(0.5, 1.0, 0.9), new PrPoint(1.0, 0.66, 0.4)),
                    0.83),
                new PrCurve("all" + ATTR, List.of(new PrPoint(0.5, 0.5, 0.9)), 0.4)));
    Importances imp =
        new Importances(
            "source" + SCRIPT,
            List.of(new Importance("feat" + SVG, 0.7, "fam" + ATTR), new Importance("b", 0.3, "g")),
            List.of(new ReasonStat("code" + IMG, 1.5, 2)));
    List<Reason> reasons = List.of(new Reason("kp_hits" + ATTR, 2.0, "detail " + SCRIPT + IMG));
    TopAccount lead =
        new TopAccount(
            1,
            "acc" + SVG,
            0.97,
            "c" + ATTR,
            SCRIPT,
            "US" + IMG,
            null,
            reasons,
            List.of(new ReportData.Mitigation("relocation_clean" + ATTR, "moved " + SCRIPT + IMG)));
    TopAccount member = new TopAccount(3, "b", 0.5, "c" + ATTR, ATTR, null, 0, List.of());
    TopAccount lone = new TopAccount(2, "lone", 0.6, null, null, null, null, List.of());
    TopAccount caught =
        new TopAccount(4, "caught" + ATTR, 0.4, null, "Caught" + IMG, "KP", 1, reasons);
    Instant reviewed = Instant.parse("2026-10-20T09:30:00Z");
    Review review =
        new Review(
            List.of(
                new QueueEntry(
                    "c" + ATTR,
                    5,
                    List.of(
                        new ReviewedAccount(lead, "to_review", null, null, List.of()),
                        new ReviewedAccount(
                            member,
                            "evidence_changed",
                            reviewed,
                            "review:" + SCRIPT,
                            List.of(
                                new Decision(reviewed, "ana" + ATTR, "genuine", "note " + SCRIPT),
                                new Decision(
                                    Instant.parse("2026-10-01T08:00:00Z"),
                                    "bo",
                                    "unsure",
                                    null))))),
                new QueueEntry(
                    null,
                    1,
                    List.of(new ReviewedAccount(lone, "to_review", null, null, List.of())))),
            6,
            2,
            List.of(
                new ReviewedAccount(
                    caught,
                    "confirmed",
                    reviewed,
                    "review:ana",
                    List.of(new Decision(reviewed, "ana", "concealed", IMG + "\nsecond line")))),
            1,
            1,
            List.of(
                new ReviewedAccount(
                    new TopAccount(7, "kept" + ATTR, 0.3, null, "Kept" + IMG, "US", 0, List.of()),
                    "genuine",
                    reviewed,
                    "review:" + SCRIPT,
                    List.of(new Decision(reviewed, "bo", "genuine", "known " + SCRIPT)))));
    Cluster c =
        new Cluster(
            "c" + ATTR,
            3,
            0.97,
            0.6,
            List.of(
                new Member("acc" + SVG, 0.97, 1, 1, SCRIPT),
                new Member("b", 0.5, 2, 0, ATTR),
                new Member("c", 0.3, 3, null, null)),
            List.of(
                new Link("acc" + SVG, "b", "device", 0.9, true),
                new Link("acc" + SVG, "b", "payout", 1.0, true),
                new Link("b", "c", "evil" + SCRIPT, 0.5, false)));
    return new ReportData(h, histogram(5, 2, 0, 1), labels, imp, review, List.of(c), 6);
  }

  /** A page with nothing to show: no labels, no importances, no reasons, no clusters. */
  static ReportData empty() {
    Header h =
        new Header(
            "/wh",
            LocalDate.of(2026, 10, 31),
            "rule-v1",
            "rule_score",
            1,
            "run",
            Instant.parse("2026-11-01T00:00:00Z"),
            Map.of());
    return new ReportData(
        h,
        histogram(1, 0, 0),
        new Labels(0, 0, List.of()),
        new Importances("none", List.of(), List.of()),
        new Review(
            List.of(
                new QueueEntry(
                    null,
                    1,
                    List.of(
                        new ReviewedAccount(
                            new TopAccount(1, "a", 0.1, null, null, null, null, List.of()),
                            "to_review",
                            null,
                            null,
                            List.of())))),
            1,
            1,
            List.of(),
            0,
            0,
            List.of()),
        List.of(),
        6);
  }
}
