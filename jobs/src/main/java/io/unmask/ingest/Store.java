package io.unmask.ingest;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Schemas.TableSpec;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.io.Inputs;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * How a run's accepted rows join the stored input tables, so that the warehouse holds each event
 * once however often it is delivered, and a daily run writes a day, not the whole history.
 *
 * <ul>
 *   <li>{@code logins}, {@code payments}: one row per key ({@code event_id}, {@code payment_id})
 *       across all days, partitioned by the event's UTC day ({@code event_date}); a Delta {@code
 *       MERGE} inserts only keys not stored yet, so a re-delivered event is not counted twice and a
 *       late one lands in its own day.
 *   <li>{@code profiles}: the history of each account: a new version (row) whenever a delivered
 *       profile differs from the account's version on the run's day; {@code valid_from} is the
 *       run's day (the creation day for an account's first version). See {@link Inputs#profiles}.
 *   <li>{@code labels}: accumulate; an identical label delivered again is stored once.
 * </ul>
 *
 * <p>Every stored row carries {@code ingested_on}, the run's day. A rerun of a day (backfill, or
 * after a failure between the two commits of a table) first deletes that day's rows and then stores
 * the input again, so it replaces exactly the day's contribution.
 */
public final class Store {
  private Store() {}

  /** What the input of a run is. */
  public enum Mode {
    /** The whole history (the first load, or a team that only has snapshots). */
    SNAPSHOT,
    /** The day's new and changed rows, on top of what the warehouse holds. */
    INCREMENT;

    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(s.trim())) {
          return m;
        }
      }
      throw new IllegalArgumentException("--mode must be snapshot or increment, not " + s);
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Stores the run's accepted rows of {@code spec}'s table (in the clean table's shape); returns
   * how many rows were new to the warehouse.
   */
  public static long write(Dataset<Row> accepted, String warehouse, TableSpec spec, LocalDate day) {
    String table = spec.name();
    if (table.equals(Tables.LOGINS) || table.equals(Tables.PAYMENTS)) {
      return events(accepted, warehouse, spec, day);
    }
    if (table.equals(Tables.PROFILES)) {
      return profiles(accepted, warehouse, day);
    }
    if (table.equals(Tables.LABELS)) {
      return labels(accepted, warehouse, day);
    }
    throw new IllegalArgumentException("not a stored input table: " + table);
  }

  /** The Delta table's storage layout check: fails with a clear cause on an older warehouse. */
  public static void requireCurrentLayout(SparkSession spark, String warehouse) {
    for (String t : Tables.INPUT_TABLES) {
      if (!DeltaIO.exists(spark, warehouse, t)) {
        continue;
      }
      List<String> cols = Arrays.asList(DeltaIO.read(spark, warehouse, t).columns());
      if (cols.contains(Cols.AS_OF) && !cols.contains(Cols.INGESTED_ON)) {
        throw new IngestJob.InputException(
            "The warehouse "
                + warehouse
                + " was written by an older Unmask (one copy of "
                + t
                + " per as_of); load it into a new warehouse (ingest --mode snapshot)");
      }
    }
  }

  private static long events(
      Dataset<Row> accepted, String warehouse, TableSpec spec, LocalDate day) {
    String key = spec.keyColumn().orElseThrow();
    Dataset<Row> rows =
        accepted
            .withColumn(Cols.EVENT_DATE, to_date(col(Cols.TS)))
            .withColumn(Cols.INGESTED_ON, lit(java.sql.Date.valueOf(day)));
    SparkSession spark = accepted.sparkSession();
    String path = Tables.path(warehouse, spec.name());
    ensure(rows, path, Cols.EVENT_DATE);
    DeltaTable target = DeltaTable.forPath(spark, path);
    replacing(target, day);
    // Prune the target to the days the delivery can touch: a re-delivered event keeps its ts, so
    // its stored copy lies in a partition at or after the delivery's earliest day.
    Row bounds = rows.agg(min(col(Cols.EVENT_DATE))).first();
    if (bounds.isNullAt(0)) {
      return 0;
    }
    Column on =
        col("t." + key)
            .equalTo(col("s." + key))
            .and(col("t." + Cols.EVENT_DATE).geq(lit(bounds.getDate(0))));
    // insert-only, so a retry after a concurrent commit cannot store an event twice
    long[] n = {0};
    DeltaIO.retryingConflicts(
        () ->
            n[0] =
                inserted(
                    target.as("t").merge(rows.as("s"), on).whenNotMatched().insertAll().execute()));
    return n[0];
  }

  private static long labels(Dataset<Row> accepted, String warehouse, LocalDate day) {
    Dataset<Row> rows = accepted.withColumn(Cols.INGESTED_ON, lit(java.sql.Date.valueOf(day)));
    String path = Tables.path(warehouse, Tables.LABELS);
    ensure(rows, path, null);
    DeltaTable target = DeltaTable.forPath(accepted.sparkSession(), path);
    replacing(target, day);
    Column on = allEqual(Schemas.LABELS_SPEC.columnNames(), "t", "s");
    // one row per distinct label in the delivery, so that the merge sees each source row once
    Dataset<Row> distinct =
        rows.dropDuplicates(Schemas.LABELS_SPEC.columnNames().toArray(String[]::new));
    long[] n = {0};
    DeltaIO.retryingConflicts(
        () ->
            n[0] =
                inserted(
                    target
                        .as("t")
                        .merge(distinct.as("s"), on)
                        .whenNotMatched()
                        .insertAll()
                        .execute()));
    return n[0];
  }

  /** {@code left.c <=> right.c} for every column {@code c}: equal, nulls included. */
  private static Column allEqual(List<String> columns, String left, String right) {
    return columns.stream()
        .map(c -> col(left + "." + c).eqNullSafe(col(right + "." + c)))
        .reduce(Column::and)
        .orElseThrow();
  }

  /**
   * Adds a version for every delivered profile that is new or differs from the account's version on
   * {@code day} (in any contract column); an unchanged profile adds nothing.
   */
  private static long profiles(Dataset<Row> accepted, String warehouse, LocalDate day) {
    SparkSession spark = accepted.sparkSession();
    java.sql.Date d = java.sql.Date.valueOf(day);
    String path = Tables.path(warehouse, Tables.PROFILES);
    List<String> contract = Schemas.PROFILES_SPEC.columnNames();
    Dataset<Row> versions;
    if (DeltaIO.exists(spark, warehouse, Tables.PROFILES)) {
      DeltaTable target = DeltaTable.forPath(spark, path);
      replacing(target, day);
      Dataset<Row> current = Inputs.profiles(spark, warehouse, day);
      Column same =
          allEqual(contract.stream().filter(c -> !c.equals(Cols.ACCOUNT_ID)).toList(), "n", "c");
      Dataset<Row> joined =
          accepted
              .as("n")
              .join(
                  current.select(contract.stream().map(Column::new).toArray(Column[]::new)).as("c"),
                  col("n." + Cols.ACCOUNT_ID).equalTo(col("c." + Cols.ACCOUNT_ID)),
                  "left")
              .filter(col("c." + Cols.ACCOUNT_ID).isNull().or(not(same)));
      // the account's first version holds from its creation; a change from the run's day
      Column validFrom =
          when(
                  col("c." + Cols.ACCOUNT_ID).isNull(),
                  least(to_date(col("n." + Cols.CREATED_AT)), lit(d)))
              .otherwise(lit(d));
      List<Column> out =
          new java.util.ArrayList<>(
              Arrays.stream(accepted.columns()).map(c -> col("n." + c).as(c)).toList());
      out.add(validFrom.as(Cols.VALID_FROM));
      out.add(lit(d).as(Cols.INGESTED_ON));
      versions = joined.select(out.toArray(Column[]::new));
    } else {
      versions =
          accepted
              .withColumn(Cols.VALID_FROM, least(to_date(col(Cols.CREATED_AT)), lit(d)))
              .withColumn(Cols.INGESTED_ON, lit(d));
    }
    // materialised first: the versions are computed from the very table they are appended to
    Dataset<Row> toWrite = io.unmask.common.Lineage.cut(versions);
    try {
      long n = toWrite.count();
      if (n > 0) {
        DeltaIO.retryingConflicts(
            () ->
                toWrite
                    .write()
                    .format("delta")
                    .mode(SaveMode.Append)
                    .option("mergeSchema", "true")
                    .save(path));
      }
      return n;
    } finally {
      io.unmask.common.Lineage.release(toWrite);
    }
  }

  /** Creates the table, empty, with the rows' schema (and partitioning) when it does not exist. */
  private static void ensure(Dataset<Row> rows, String path, String partitionBy) {
    SparkSession spark = rows.sparkSession();
    if (DeltaTable.isDeltaTable(spark, path)) {
      return;
    }
    DeltaIO.retryingConflicts(
        () -> {
          if (DeltaTable.isDeltaTable(spark, path)) {
            return;
          }
          var w = rows.limit(0).write().format("delta").mode(SaveMode.Append);
          if (partitionBy != null) {
            w = w.partitionBy(partitionBy);
          }
          w.save(path);
        });
  }

  /** A rerun of {@code day}: its earlier contribution goes first (nothing, on a first run). */
  private static void replacing(DeltaTable target, LocalDate day) {
    DeltaIO.retryingConflicts(
        () -> target.delete(col(Cols.INGESTED_ON).equalTo(lit(java.sql.Date.valueOf(day)))));
  }

  private static long inserted(Dataset<Row> mergeMetrics) {
    Row r = mergeMetrics.first();
    int i = Arrays.asList(mergeMetrics.columns()).indexOf("num_inserted_rows");
    return i < 0 || r.isNullAt(i) ? -1 : r.getLong(i);
  }
}
