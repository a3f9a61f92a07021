package io.unmask.bench;

import static org.apache.spark.sql.functions.col;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The floor a pipeline run is measured against (issue 14): every input table read as text by
 * Spark's own CSV reader with every column, one shuffle by {@code account_id}, Parquet out. It
 * parses, shuffles and writes each row once and computes nothing, so no job over the same input can
 * be much faster.
 */
final class BareScan {
  static final List<String> TABLES =
      List.of(Tables.PROFILES, Tables.LOGINS, Tables.PAYMENTS, Tables.LABELS);

  private BareScan() {}

  /** Seconds to scan every table of {@code input} that exists into {@code out} (replaced). */
  static double run(SparkSession spark, Path input, Path out) {
    long t0 = System.nanoTime();
    for (String t : TABLES) {
      Path dir = input.resolve(t);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      spark
          .read()
          .option("header", "true")
          .option("escape", "\"")
          .option("multiLine", "true")
          .csv(dir.toString())
          .repartition(col(Cols.ACCOUNT_ID))
          .write()
          .mode("overwrite")
          .parquet(out.resolve(t).toString());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Ingest's own floor (issue 14): every input table read by Spark's CSV reader with the contract's
   * types (timestamps, decimals, booleans parsed by Spark, no rules) and written as a Delta table.
   * Seconds for all tables of {@code input} into {@code out} (replaced).
   */
  static double typedParse(SparkSession spark, Path input, Path out) {
    long t0 = System.nanoTime();
    for (Schemas.TableSpec spec : Schemas.INPUTS) {
      Path dir = input.resolve(spec.name());
      if (!TABLES.contains(spec.name()) || !Files.isDirectory(dir)) {
        continue;
      }
      StructType schema = new StructType();
      for (Schemas.ColumnSpec c : spec.columns()) {
        schema = schema.add(c.name(), c.type().sparkType, true);
      }
      spark
          .read()
          .schema(schema)
          .option("header", "true")
          .option("enforceSchema", "false")
          .option("escape", "\"")
          .option("multiLine", "true")
          .csv(dir.toString())
          .write()
          .format("delta")
          .mode("overwrite")
          .save(out.resolve(spec.name()).toString());
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
