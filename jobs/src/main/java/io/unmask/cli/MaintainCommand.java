package io.unmask.cli;

import io.unmask.common.Progress;
import io.unmask.maintain.Maintenance;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code maintain}: compaction, Z-order, retention and VACUUM of every table of a warehouse. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Compacts every Delta table under --warehouse (OPTIMIZE; logins and payments Z-ordered by",
      "account_id), drops the per-run tables' days older than --retain-days before the latest",
      "scored day, then removes unreferenced files older than --vacuum-hours (VACUUM). Safe to",
      "rerun; run it after the day's run, not beside one (see docs/maintenance.md)."
    })
public final class MaintainCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Mixin CommonOptions common;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--retain-days",
      paramLabel = "N",
      defaultValue = "" + Maintenance.DEFAULT_RETAIN_DAYS,
      description = {
        "Days of the per-run tables (risk_scores, quarantine, ingest_report, account_features,",
        "account_links, clusters, link_hubs) kept before the latest scored day; 0 or less keeps",
        "every day (default: ${DEFAULT-VALUE})."
      })
  int retainDays;

  @Option(
      names = "--vacuum-hours",
      paramLabel = "H",
      defaultValue = "" + Maintenance.DEFAULT_VACUUM_HOURS,
      description =
          "VACUUM retention in hours; less than 168 needs --allow-short-vacuum"
              + " (default: ${DEFAULT-VALUE}).")
  int vacuumHours;

  @Option(
      names = "--allow-short-vacuum",
      description =
          "Accept a --vacuum-hours under 168: a reader or writer running across the VACUUM, or a"
              + " time-travel query, may fail on removed files.")
  boolean allowShortVacuum;

  @Option(
      names = "--no-zorder",
      description = "Compact logins and payments without Z-ordering them by account_id.")
  boolean noZorder;

  /** The options checked, before any Spark work (a bad value is a usage error, exit 2). */
  Maintenance.Options options() {
    try {
      return new Maintenance.Options(
          warehouse.dir, retainDays, vacuumHours, allowShortVacuum, !noZorder, common.runId());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  @Override
  public Integer call() {
    Maintenance.Options o = options();
    SparkSession spark = Sessions.open("unmask maintain");
    Progress p = common.progress(spark);
    try {
      Maintenance.Result r = Maintenance.run(spark, o, p);
      p.info(
          "maintain   "
              + r.tables().size()
              + " table(s)"
              + (r.anchor() == null ? "" : ", retention counted from " + r.anchor()));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Invalid --")) {
        throw new UsageException(e.getMessage());
      }
      throw e;
    } finally {
      io.unmask.io.RunLock.releaseAll(spark.sparkContext().hadoopConfiguration());
    }
    return 0;
  }
}
