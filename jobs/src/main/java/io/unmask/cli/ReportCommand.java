package io.unmask.cli;

import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.report.ReportGatherer;
import io.unmask.report.ReportJob;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code report}: one self-contained HTML page of a day's ranking for an investigator. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one self-contained HTML page (no network) for an investigator: score"
          + " distribution, precision-recall on the labels, what the model uses, the review"
          + " queue (accounts still to review, a ring folded into one entry, with reasons and"
          + " recorded decisions), the confirmed accounts and drawings of the most suspicious"
          + " clusters."
    })
public final class ReportCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  /**
   * Queue entries (and confirmed rows) at most: every one is on the page (and passes through the
   * driver).
   */
  static final int MAX_TOP = 10_000;

  /** Cluster drawings at most. */
  static final int MAX_CLUSTERS = 100;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.html",
      description = "The page to write (local path, hdfs://, s3a://, ...); replaced if it exists.")
  String out;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Report this day instead of the latest in risk_scores.")
  String asOf;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "50",
      description =
          "Entries of the review queue shown (a ring counts once), and rows of the confirmed"
              + " table, at most 10000 (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--clusters",
      paramLabel = "K",
      defaultValue = "6",
      description = "Suspicious clusters to draw, at most 100 (default: ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--verbose", description = "Show Spark's own logging and stack traces.")
  boolean verbose;

  private static String bound(int value, int max) {
    return value > max ? " and at most " + max + ": every one is drawn on the page" : "";
  }

  @Override
  public Integer call() {
    if (top < 1 || top > MAX_TOP) {
      throw new UsageException(
          "Invalid --top: " + top + " (must be at least 1" + bound(top, MAX_TOP) + ")");
    }
    if (clusters < 1 || clusters > MAX_CLUSTERS) {
      throw new UsageException(
          "Invalid --clusters: "
              + clusters
              + " (must be at least 1"
              + bound(clusters, MAX_CLUSTERS)
              + ")");
    }
    LocalDate day = CommonOptions.parseDate("--as-of", asOf);
    SparkSession spark = Sessions.open("unmask report");
    if (!DeltaIO.exists(spark, warehouse.dir, Tables.RISK_SCORES)) {
      throw new UsageException(
          "Invalid --warehouse: "
              + warehouse.dir
              + " holds no risk_scores table; run pipeline first");
    }
    ReportJob.Result r =
        ReportJob.run(
            spark,
            warehouse.dir,
            day,
            new ReportGatherer.Options(top, clusters, ReportGatherer.MAX_MEMBERS),
            out);
    System.out.println(String.format(Locale.ROOT, "report %s %,d bytes", r.path(), r.bytes()));
    return 0;
  }
}
