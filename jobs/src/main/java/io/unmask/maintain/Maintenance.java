package io.unmask.maintain;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.io.RunLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Weekly upkeep of a warehouse: compacts every Delta table's small files ({@code OPTIMIZE}),
 * Z-orders the event tables by account, drops the per-run tables' days older than the retention and
 * removes the files no version within the VACUUM retention reads. Every step is idempotent: a
 * second run finds nothing to compact, no day to drop and (after the retention) nothing to vacuum.
 *
 * <p>Retention is relative to the latest {@code as_of} in {@code risk_scores} (each table's own
 * latest when there is no {@code risk_scores}), never to the wall clock: a warehouse restored or
 * backfilled years later keeps the same days. Tables of record (events, profiles, labels,
 * decisions, models, reference data) are compacted but never deleted from.
 *
 * <p>Concurrency: maintenance holds the {@link RunLock} of the anchor day (the latest scored day),
 * so a rerun of that day waits for it; {@link RunLock} has no warehouse-wide lock, so runs of other
 * days are not blocked. Schedule it after the day's run (the Airflow DAG runs it weekly after
 * scoring, with {@code max_active_runs=1}); Delta's optimistic concurrency still refuses a
 * conflicting commit, and conflicts are retried ({@link DeltaIO#retryingConflicts}).
 */
public final class Maintenance {
  /** Delta's default VACUUM retention: files younger than a week are never removed. */
  public static final int DEFAULT_VACUUM_HOURS = 168;

  public static final int DEFAULT_RETAIN_DAYS = 90;

  /** Per-run tables, partitioned by {@code as_of}: their old days are dropped. */
  public static final List<String> RETENTION_TABLES =
      List.of(
          Tables.RISK_SCORES,
          Tables.QUARANTINE,
          Tables.INGEST_REPORT,
          Tables.ACCOUNT_FEATURES,
          Tables.ACCOUNT_LINKS,
          Tables.CLUSTERS,
          Tables.LINK_HUBS);

  /** Tables of record: compacted, never deleted from. */
  public static final Set<String> NEVER_DELETED =
      Set.of(
          Tables.LOGINS,
          Tables.PAYMENTS,
          Tables.PROFILES,
          Tables.LABELS,
          Tables.DECISIONS,
          Tables.MODELS,
          Tables.MODEL_METRICS,
          Tables.IP_RANGES,
          Tables.SANCTIONED_ADDRESSES);

  /** The event tables Z-ordered by account, which the features read account by account. */
  public static final List<String> ZORDER_TABLES = List.of(Tables.LOGINS, Tables.PAYMENTS);

  static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";

  static final String RETENTION_WINDOW_IGNORE =
      "spark.databricks.delta.vacuum.retentionWindowIgnore.enabled";

  static final String LISTING_PARALLELISM =
      "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  /**
   * What to do.
   *
   * @param retainDays days of per-run tables kept before the latest {@code as_of}; 0 or less keeps
   *     every day
   * @param vacuumHours VACUUM retention; less than {@link #DEFAULT_VACUUM_HOURS} only with {@code
   *     allowShortVacuum}
   */
  public record Options(
      String warehouse,
      int retainDays,
      int vacuumHours,
      boolean allowShortVacuum,
      boolean zorder,
      String runId) {
    public Options {
      if (warehouse == null || warehouse.isBlank()) {
        throw new IllegalArgumentException("Invalid --warehouse: empty");
      }
      if (vacuumHours < 0) {
        throw new IllegalArgumentException(
            "Invalid --vacuum-hours: " + vacuumHours + " (0 or more hours)");
      }
      if (vacuumHours < DEFAULT_VACUUM_HOURS && !allowShortVacuum) {
        throw new IllegalArgumentException(
            "Invalid --vacuum-hours: "
                + vacuumHours
                + " is less than "
                + DEFAULT_VACUUM_HOURS
                + " (7 days): a reader or writer that started before the files were removed"
                + " could fail; pass --allow-short-vacuum to accept that");
      }
    }

    public static Options defaults(String warehouse) {
      return new Options(
          warehouse, DEFAULT_RETAIN_DAYS, DEFAULT_VACUUM_HOURS, false, true, "maintain");
    }
  }

  /**
   * What was done to one table.
   *
   * @param zordered true when the table was Z-ordered (only partitions holding several files are
   *     rewritten)
   * @param cutoff days before it were dropped; null when retention does not apply
   */
  public record TableResult(
      String table,
      long filesBefore,
      long filesAfter,
      boolean zordered,
      LocalDate cutoff,
      List<LocalDate> partitionsDropped,
      long rowsBefore,
      long rowsAfter) {}

  /** The day retention counted from (null: none found) and every table's result, in name order. */
  public record Result(LocalDate anchor, List<TableResult> tables) {
    public TableResult table(String name) {
      return tables.stream().filter(t -> t.table().equals(name)).findFirst().orElse(null);
    }
  }

  private Maintenance() {}

  public static Result run(SparkSession spark, Options o, Progress p) {
    List<String> names = deltaTables(spark, o.warehouse());
    LocalDate anchor = latestAsOf(spark, o.warehouse(), Tables.RISK_SCORES);
    if (anchor != null) {
      // a rerun of the latest day waits until maintenance ends (and maintenance for it)
      RunLock.hold(spark.sparkContext().hadoopConfiguration(), o.warehouse(), anchor, o.runId());
    }
    List<TableResult> results = new ArrayList<>();
    for (String name : names) {
      p.start("maintain");
      TableResult r = maintain(spark, o, name, anchor);
      results.add(r);
      p.done(r.rowsAfter(), line(r));
    }
    return new Result(anchor, List.copyOf(results));
  }

  private static TableResult maintain(
      SparkSession spark, Options o, String name, LocalDate anchor) {
    String path = Tables.path(o.warehouse(), name);
    DeltaTable table = DeltaTable.forPath(spark, path);
    long rowsBefore = table.toDF().count();
    long filesBefore = numFiles(table);

    // 1. retention: drop the old days first, so that compaction does not rewrite them
    LocalDate cutoff = null;
    List<LocalDate> dropped = List.of();
    if (o.retainDays() > 0
        && RETENTION_TABLES.contains(name)
        && !NEVER_DELETED.contains(name)
        && partitionColumns(table).contains(Cols.AS_OF)) {
      LocalDate from = anchor != null ? anchor : latestAsOf(spark, o.warehouse(), name);
      if (from != null) {
        cutoff = from.minusDays(o.retainDays());
        dropped = daysBefore(spark, path, cutoff);
        if (!dropped.isEmpty()) {
          String where = Cols.AS_OF + " < DATE'" + cutoff + "'";
          DeltaIO.retryingConflicts(() -> DeltaTable.forPath(spark, path).delete(where));
        }
      }
    }

    // 2. compaction; the event tables Z-ordered by account, only where a partition holds
    // several files (Z-ordering rewrites even a lone file, so a rerun would rewrite everything)
    boolean zorder =
        o.zorder()
            && ZORDER_TABLES.contains(name)
            && java.util.Arrays.asList(table.toDF().columns()).contains(Cols.ACCOUNT_ID);
    boolean zordered = false;
    if (zorder) {
      String where = partitionsWithSeveralFiles(spark, path, partitionColumns(table));
      if (where != null) {
        DeltaIO.retryingConflicts(
            () -> {
              var builder = DeltaTable.forPath(spark, path).optimize();
              if (!where.isEmpty()) {
                builder = builder.where(where);
              }
              builder.executeZOrderBy(Cols.ACCOUNT_ID);
            });
        zordered = true;
      }
    } else {
      DeltaIO.retryingConflicts(
          () -> DeltaTable.forPath(spark, path).optimize().executeCompaction());
    }

    // 3. vacuum: files no version within the retention reads
    vacuum(spark, path, o);

    DeltaTable after = DeltaTable.forPath(spark, path);
    return new TableResult(
        name,
        filesBefore,
        numFiles(after),
        zordered,
        cutoff,
        dropped,
        rowsBefore,
        after.toDF().count());
  }

  private static void vacuum(SparkSession spark, String path, Options o) {
    Map<String, String> settings = new java.util.HashMap<>();
    // Delta 4 ignores VACUUM's hours (other than 0) for the table property
    // delta.deletedFileRetentionDuration unless this is off: --vacuum-hours is meant
    settings.put(RETENTION_WINDOW_IGNORE, "false");
    if (o.vacuumHours() < DEFAULT_VACUUM_HOURS) {
      // only with --allow-short-vacuum (checked by Options): readers of versions older than
      // the retention may fail
      settings.put(RETENTION_CHECK, "false");
    }
    if (spark.sparkContext().isLocal() && !spark.conf().contains(LISTING_PARALLELISM)) {
      // VACUUM lists the table in as many tasks as this (Spark's default: 10,000): on one
      // machine that alone took 35-50 s per small table
      settings.put(
          LISTING_PARALLELISM,
          String.valueOf(Math.max(2, spark.sparkContext().defaultParallelism())));
    }
    Map<String, String> previous = new java.util.HashMap<>();
    settings.forEach(
        (k, v) -> {
          previous.put(k, spark.conf().contains(k) ? spark.conf().get(k) : null);
          spark.conf().set(k, v);
        });
    try {
      DeltaTable.forPath(spark, path).vacuum(o.vacuumHours());
    } finally {
      previous.forEach(
          (k, v) -> {
            if (v == null) {
              spark.conf().unset(k);
            } else {
              spark.conf().set(k, v);
            }
          });
    }
  }

  /** The names of the Delta tables directly under the warehouse, sorted; not {@code _*} ones. */
  static List<String> deltaTables(SparkSession spark, String warehouse) {
    Path root = new Path(warehouse);
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        throw new IllegalArgumentException("Invalid --warehouse: " + warehouse + " does not exist");
      }
      List<String> names = new ArrayList<>();
      for (FileStatus s : fs.listStatus(root)) {
        String name = s.getPath().getName();
        if (s.isDirectory()
            && !name.startsWith("_")
            && !name.startsWith(".")
            && fs.exists(new Path(s.getPath(), "_delta_log"))) {
          names.add(name);
        }
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the warehouse " + warehouse, e);
    }
  }

  /** The latest {@code as_of} of a table, or null (no table, no such column, no rows). */
  static LocalDate latestAsOf(SparkSession spark, String warehouse, String table) {
    if (!DeltaIO.exists(spark, warehouse, table)) {
      return null;
    }
    Dataset<Row> t = DeltaIO.read(spark, warehouse, table);
    if (!java.util.Arrays.asList(t.columns()).contains(Cols.AS_OF)) {
      return null;
    }
    Row r = t.agg(org.apache.spark.sql.functions.max(col(Cols.AS_OF))).first();
    return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
  }

  private static List<String> partitionColumns(DeltaTable table) {
    Row detail = table.detail().select("partitionColumns").first();
    return detail.isNullAt(0) ? List.of() : detail.getList(0);
  }

  private static long numFiles(DeltaTable table) {
    Row detail = table.detail().select("numFiles").first();
    return detail.isNullAt(0) ? 0 : detail.getLong(0);
  }

  /** The current version's data files: their partition values (from the Delta log, not data). */
  private static Dataset<Row> files(SparkSession spark, String path) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path)
        .update(false, scala.Option.empty(), scala.Option.empty())
        .allFiles()
        .toDF();
  }

  /** The {@code as_of} days of a table before {@code cutoff}, from its files' partition values. */
  private static List<LocalDate> daysBefore(SparkSession spark, String path, LocalDate cutoff) {
    return files(spark, path)
        .select(col("partitionValues").getItem(Cols.AS_OF).as("d"))
        .distinct()
        .collectAsList()
        .stream()
        .filter(r -> !r.isNullAt(0))
        .map(r -> LocalDate.parse(r.getString(0)))
        .filter(d -> d.isBefore(cutoff))
        .sorted()
        .toList();
  }

  /**
   * A partition predicate matching the partitions that hold more than one file; "" for an
   * unpartitioned table of several files; null when there is nothing to rewrite.
   */
  static String partitionsWithSeveralFiles(
      SparkSession spark, String path, List<String> partitionColumns) {
    Dataset<Row> files = files(spark, path);
    if (partitionColumns.isEmpty()) {
      return files.count() > 1 ? "" : null;
    }
    org.apache.spark.sql.Column[] keys =
        partitionColumns.stream()
            .map(c -> col("partitionValues").getItem(c).as(c))
            .toArray(org.apache.spark.sql.Column[]::new);
    List<Row> crowded =
        files.groupBy(keys).count().filter(col("count").gt(1)).drop("count").collectAsList();
    if (crowded.isEmpty()) {
      return null;
    }
    List<String> ors = new ArrayList<>();
    for (Row r : crowded) {
      List<String> ands = new ArrayList<>();
      for (int i = 0; i < partitionColumns.size(); i++) {
        String c = "`" + partitionColumns.get(i).replace("`", "``") + "`";
        ands.add(
            r.isNullAt(i)
                ? c + " IS NULL"
                : "CAST(" + c + " AS STRING) = '" + r.getString(i).replace("'", "\\'") + "'");
      }
      ors.add("(" + String.join(" AND ", ands) + ")");
    }
    ors.sort(null);
    return String.join(" OR ", ors);
  }

  /** One line for a table: files before and after, days dropped; no row content. */
  public static String line(TableResult r) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-22s files %,d -> %,d%s",
                r.table(),
                r.filesBefore(),
                r.filesAfter(),
                r.zordered() ? " (z-ordered by account_id)" : ""));
    if (r.cutoff() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              ", %d day(s) before %s dropped, rows %,d -> %,d",
              r.partitionsDropped().size(),
              r.cutoff(),
              r.rowsBefore(),
              r.rowsAfter()));
    }
    return sb.toString();
  }

  /** Every table's line, in the order maintained. */
  public static String format(Result r) {
    return String.join("\n", r.tables().stream().map(Maintenance::line).toList());
  }
}
