package io.unmask.common;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Cuts a Dataset's lineage: materialises it and returns a Dataset whose plan is a scan of the
 * materialised rows. A reliable checkpoint when the session has a checkpoint directory (set {@code
 * spark.checkpoint.dir} on a cluster whose executors may be lost), else a local one (executor
 * storage, memory then disk).
 *
 * <p>Use it where a wide plan is built on further: Spark analyses the whole logical plan again for
 * every {@code withColumn}, {@code select} or {@code join} on top of it, and a cached Dataset still
 * carries its whole plan into each analysis. Over a plan of a few hundred columns and a union per
 * fold that analysis, not the data, was most of a stage's time.
 */
public final class Lineage {
  /**
   * Inferring filters from constraints walks every alias of every projection: over a plan of some
   * 200 derived columns materialised on its own it ran for more than ten minutes on the driver. It
   * only adds redundant filters, so the plan cut here is optimised without it, whatever the session
   * says (the session's setting is restored after).
   */
  static final String CONSTRAINT_PROPAGATION = "spark.sql.constraintPropagation.enabled";

  private Lineage() {}

  /** {@code ds} materialised, with a plan that is one scan of its rows. */
  public static Dataset<Row> cut(Dataset<Row> ds) {
    SparkSession s = ds.sparkSession();
    String before = s.conf().get(CONSTRAINT_PROPAGATION, "true");
    s.conf().set(CONSTRAINT_PROPAGATION, "false");
    try {
      return s.sparkContext().getCheckpointDir().isDefined()
          ? ds.checkpoint()
          : ds.localCheckpoint();
    } finally {
      s.conf().set(CONSTRAINT_PROPAGATION, before);
    }
  }

  /**
   * Frees what {@link #cut} materialised (and any cache of {@code ds}): the rows of a local
   * checkpoint stay in executor storage for the life of the session otherwise, which a long-lived
   * session (a notebook, {@code bench-review}) would accumulate. A reliable checkpoint's files are
   * left to Spark's cleaner ({@code spark.cleaner.referenceTracking.cleanCheckpoints}).
   */
  public static void release(Dataset<Row> ds) {
    ds.unpersist();
    ds.queryExecution()
        .logical()
        .foreach(
            node -> {
              if (node instanceof org.apache.spark.sql.execution.LogicalRDD r) {
                r.rdd().unpersist(false);
              }
              return scala.runtime.BoxedUnit.UNIT;
            });
  }
}
