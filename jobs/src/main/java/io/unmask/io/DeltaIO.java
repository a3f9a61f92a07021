package io.unmask.io;

import io.unmask.common.Cols;
import io.unmask.common.Tables;
import java.time.LocalDate;
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
   * failed write leaves the previous version readable.
   */
  public static void replaceDay(Dataset<Row> rows, String warehouse, String table, LocalDate day) {
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", Cols.AS_OF + " = DATE'" + day + "'")
        .partitionBy(Cols.AS_OF)
        .save(Tables.path(warehouse, table));
  }

  /** Replaces a whole table (reference data, which is not per day). */
  public static void replaceAll(Dataset<Row> rows, String warehouse, String table) {
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .save(Tables.path(warehouse, table));
  }

  public static Dataset<Row> read(SparkSession spark, String warehouse, String table) {
    return spark.read().format("delta").load(Tables.path(warehouse, table));
  }

  public static boolean exists(SparkSession spark, String warehouse, String table) {
    return io.delta.tables.DeltaTable.isDeltaTable(spark, Tables.path(warehouse, table));
  }
}
