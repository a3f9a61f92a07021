package io.unmask.io;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Tables;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The stored input tables as they stood on a day, in the contract's shape (plus what ingest
 * derives): what every stage after ingest reads. Ingest stores each event once, partitioned by its
 * UTC day, and every version of a profile ({@code io.unmask.ingest.Store}); a day's view is the
 * events up to the end of that day and each account's version valid on it, so a rerun of a past day
 * sees that day and never a later one.
 */
public final class Inputs {
  private Inputs() {}

  /** Sign-ins up to the end of {@code day} (partitions after it are never read). */
  public static Dataset<Row> logins(SparkSession spark, String warehouse, LocalDate day) {
    return events(spark, warehouse, Tables.LOGINS, day, null);
  }

  /** Sign-ins of the {@code days} days up to the end of {@code day}: only their partitions. */
  public static Dataset<Row> logins(SparkSession spark, String warehouse, LocalDate day, int days) {
    return events(spark, warehouse, Tables.LOGINS, day, day.minusDays(days));
  }

  /** Payments up to the end of {@code day}. */
  public static Dataset<Row> payments(SparkSession spark, String warehouse, LocalDate day) {
    return events(spark, warehouse, Tables.PAYMENTS, day, null);
  }

  private static Dataset<Row> events(
      SparkSession spark, String warehouse, String table, LocalDate day, LocalDate from) {
    Dataset<Row> rows =
        DeltaIO.read(spark, warehouse, table)
            .filter(col(Cols.EVENT_DATE).leq(lit(java.sql.Date.valueOf(day))));
    if (from != null) {
      rows = rows.filter(col(Cols.EVENT_DATE).geq(lit(java.sql.Date.valueOf(from))));
    }
    return rows.drop(Cols.EVENT_DATE, Cols.INGESTED_ON);
  }

  /** Each account's profile as it stood on {@code day} (accounts created later are absent). */
  public static Dataset<Row> profiles(SparkSession spark, String warehouse, LocalDate day) {
    return profileHistory(spark, warehouse, day)
        .filter(col(Cols.VALID_TO).isNull())
        .drop(Cols.VALID_FROM, Cols.VALID_TO, Cols.INGESTED_ON);
  }

  /**
   * Every version of every profile known on {@code day}, with {@code valid_from} and {@code
   * valid_to} (the next version's {@code valid_from}; null for the version current on {@code day}).
   */
  public static Dataset<Row> profileHistory(SparkSession spark, String warehouse, LocalDate day) {
    WindowSpec byAccount =
        Window.partitionBy(Cols.ACCOUNT_ID).orderBy(col(Cols.VALID_FROM), col(Cols.INGESTED_ON));
    return DeltaIO.read(spark, warehouse, Tables.PROFILES)
        .filter(col(Cols.VALID_FROM).leq(lit(java.sql.Date.valueOf(day))))
        .withColumn(Cols.VALID_TO, lead(col(Cols.VALID_FROM), 1).over(byAccount));
  }

  /** Labels delivered up to {@code day}, each distinct label once. */
  public static Dataset<Row> labels(SparkSession spark, String warehouse, LocalDate day) {
    return DeltaIO.read(spark, warehouse, Tables.LABELS)
        .filter(col(Cols.INGESTED_ON).leq(lit(java.sql.Date.valueOf(day))))
        .drop(Cols.INGESTED_ON);
  }
}
