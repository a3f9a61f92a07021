package io.unmask.io;

import io.unmask.common.Cols;
import io.unmask.common.Tables;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Idempotent Delta writes: a run replaces only its own {@code as_of}, atomically per table. */
public final class DeltaIO {
  private DeltaIO() {}

  /**
   * Writes {@code rows} as the {@code as_of = day} partition of the table, replacing whatever an
   * earlier run of the same day wrote (Delta's {@code replaceWhere}); other days are untouched. A
   * failed write leaves the previous version readable. Columns a newer version adds are merged into
   * the table's schema (older days read them as null), so upgrading never breaks a warehouse.
   */
  public static void replaceDay(Dataset<Row> rows, String warehouse, String table, LocalDate day) {
    replaceDay(rows, warehouse, table, day, null);
  }

  /**
   * As {@link #replaceDay(Dataset, String, String, LocalDate)}, replacing only the day's rows that
   * match {@code alsoWhere} (a SQL condition every row written must meet; null: the whole day).
   */
  public static void replaceDay(
      Dataset<Row> rows, String warehouse, String table, LocalDate day, String alsoWhere) {
    String where =
        Cols.AS_OF + " = DATE'" + day + "'" + (alsoWhere == null ? "" : " AND (" + alsoWhere + ")");
    retryingConflicts(
        () ->
            rows.write()
                .format("delta")
                .mode(SaveMode.Overwrite)
                .option("replaceWhere", where)
                .option("mergeSchema", "true")
                .partitionBy(Cols.AS_OF)
                .save(Tables.path(warehouse, table)));
  }

  /**
   * Runs a write again when Delta refuses its commit for a concurrent one (two runs of different
   * days that both create a table, or both change its schema). Safe for writes that replace exactly
   * what they own: one run per day holds the day ({@link RunLock}), so a retry replaces nothing
   * another run wrote.
   */
  public static void retryingConflicts(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        if (attempt >= 3 || !isConflict(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.delta.exceptions.DeltaConcurrentModificationException
          || t instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces a whole table (reference data, which is not per day), recording {@code version} as the
   * commit's user metadata so that an unchanged table need not be written again.
   */
  public static void replaceAll(Dataset<Row> rows, String warehouse, String table, String version) {
    retryingConflicts(
        () -> {
          if (version.equals(latestVersionTag(rows.sparkSession(), warehouse, table))) {
            return; // a concurrent run wrote this very version
          }
          rows.write()
              .format("delta")
              .mode(SaveMode.Overwrite)
              .option("overwriteSchema", "true")
              .option("userMetadata", version)
              .save(Tables.path(warehouse, table));
        });
  }

  /** The user metadata of the table's latest commit, or null (no table, none recorded). */
  public static String latestVersionTag(SparkSession spark, String warehouse, String table) {
    if (!exists(spark, warehouse, table)) {
      return null;
    }
    Row last =
        io.delta.tables.DeltaTable.forPath(spark, Tables.path(warehouse, table))
            .history(1)
            .select("userMetadata")
            .first();
    return last.isNullAt(0) ? null : last.getString(0);
  }

  /**
   * Runs independent table writes at once, so that narrow writes (one input file is one task) still
   * use every core; each is its own atomic Delta commit. Rethrows the first failure after all have
   * ended.
   */
  public static void inParallel(List<Runnable> writes) {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(Math.min(4, Math.max(1, writes.size())));
    try {
      List<java.util.concurrent.Future<?>> futures =
          writes.stream().<java.util.concurrent.Future<?>>map(pool::submit).toList();
      RuntimeException first = null;
      for (java.util.concurrent.Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException re
                    ? re
                    : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing tables", e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdown();
    }
  }

  public static Dataset<Row> read(SparkSession spark, String warehouse, String table) {
    return spark.read().format("delta").load(Tables.path(warehouse, table));
  }

  public static boolean exists(SparkSession spark, String warehouse, String table) {
    return io.delta.tables.DeltaTable.isDeltaTable(spark, Tables.path(warehouse, table));
  }
}
